// LiteLLM's tables as schema.prisma declares them (the subset Sluice reads and writes), in one dialect-neutral list.

export type ColumnType = 'text' | 'float' | 'int' | 'bigint' | 'bool' | 'timestamp' | 'json' | 'text[]';

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  readonly notNull: boolean;
  /** 'now', a number, 'true'/'false', a JSON literal ('{}', '[]'), "''" or null (no default). */
  readonly defaultValue: string | null;
}

export interface TableDef {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly columnsByName: ReadonlyMap<string, ColumnDef>;
  readonly primaryKey: readonly string[];
  readonly uniques: readonly (readonly string[])[];
  readonly indexes: readonly IndexDef[];
}

/**
 * A non-unique index. Postgres gets LiteLLM's indexes as its schema.prisma has them (LiteLLM may share the database).
 * SQLite is Sluice's own store, where an index that only costs writes can be left out (`skip`: another index starts
 * with the same columns) or hold only the rows that have a value (`not-null`: columns most rows leave NULL); queries
 * comparing the column with `=` still use a `not-null` index.
 */
export interface IndexDef {
  readonly columns: readonly string[];
  readonly sqlite?: 'skip' | 'not-null';
}

/** `"name type[!] [=default]"`: `!` is NOT NULL (Prisma's non-optional field). */
function column(spec: string): ColumnDef {
  const [name, rawType, defaultValue] = spec.split(' ') as [string, string, string | undefined];
  const notNull = rawType.endsWith('!');
  const type = (notNull ? rawType.slice(0, -1) : rawType) as ColumnType;
  return { name, type, notNull, defaultValue: defaultValue === undefined ? null : defaultValue.slice(1) };
}

function table(name: string, specs: readonly string[], primaryKey: string[], uniques: string[][] = [], indexes: Array<string[] | IndexDef> = []): TableDef {
  const columns = specs.map(column);
  const indexDefs = indexes.map((index): IndexDef => (Array.isArray(index) ? { columns: index } : index));
  return { name, columns, columnsByName: new Map(columns.map((c) => [c.name, c])), primaryKey, uniques, indexes: indexDefs };
}

const AUDIT = ['created_at timestamp! =now', 'created_by text!', 'updated_at timestamp! =now', 'updated_by text!'];
const LIMITS = ['max_parallel_requests int', 'tpm_limit bigint', 'rpm_limit bigint', 'budget_duration text', 'budget_reset_at timestamp'];

export const BUDGET_TABLE = table('LiteLLM_BudgetTable', [
  'budget_id text!', 'max_budget float', 'soft_budget float', ...LIMITS.slice(0, 3), 'model_max_budget json', ...LIMITS.slice(3),
  'allowed_models text[] =[]', ...AUDIT,
], ['budget_id']);

export const VERIFICATION_TOKEN = table('LiteLLM_VerificationToken', [
  'token text!', 'key_name text', 'key_alias text', 'soft_budget_cooldown bool! =false', 'spend float! =0', 'expires timestamp',
  'models text[]', 'aliases json! ={}', 'config json! ={}', 'router_settings json ={}', 'user_id text', 'team_id text',
  'permissions json! ={}', 'max_parallel_requests int', 'metadata json! ={}', 'blocked bool', 'tpm_limit bigint', 'rpm_limit bigint',
  'max_budget float', 'budget_duration text', 'budget_reset_at timestamp', 'allowed_cache_controls text[] =[]',
  'allowed_routes text[] =[]', 'model_spend json! ={}', 'model_max_budget json! ={}', 'budget_id text', 'organization_id text',
  'created_at timestamp =now', 'created_by text', 'updated_at timestamp =now', 'updated_by text', 'last_active timestamp',
  'rotation_count int =0', 'last_rotation_at timestamp',
], ['token'], [], [['user_id', 'team_id'], ['team_id'], ['budget_reset_at', 'expires']]);

export const TEAM_TABLE = table('LiteLLM_TeamTable', [
  'team_id text!', 'team_alias text', 'organization_id text', 'admins text[]', 'members text[]', 'members_with_roles json! ={}',
  'metadata json! ={}', 'max_budget float', 'soft_budget float', 'spend float! =0', 'models text[]', ...LIMITS, 'blocked bool! =false',
  'created_at timestamp! =now', 'updated_at timestamp! =now', 'model_spend json! ={}', 'model_max_budget json! ={}',
], ['team_id'], [], [['organization_id'], ['team_alias'], ['created_at']]);

export const USER_TABLE = table('LiteLLM_UserTable', [
  'user_id text!', 'user_alias text', 'team_id text', 'organization_id text', 'teams text[] =[]', 'user_role text', 'max_budget float',
  'spend float! =0', 'user_email text', 'models text[]', 'metadata json! ={}', ...LIMITS, 'allowed_cache_controls text[] =[]',
  'model_spend json! ={}', 'model_max_budget json! ={}', 'created_at timestamp =now', 'updated_at timestamp =now',
], ['user_id']);

export const END_USER_TABLE = table('LiteLLM_EndUserTable', [
  'user_id text!', 'alias text', 'spend float! =0', 'allowed_model_region text', 'default_model text', 'budget_id text', 'blocked bool! =false',
], ['user_id']);

export const TEAM_MEMBERSHIP = table('LiteLLM_TeamMembership', [
  'user_id text!', 'team_id text!', 'spend float! =0', 'budget_id text',
], ['user_id', 'team_id']);

export const SPEND_LOGS = table('LiteLLM_SpendLogs', [
  'request_id text!', 'call_type text!', "api_key text! =''", 'spend float! =0', 'total_tokens int! =0', 'prompt_tokens int! =0',
  'completion_tokens int! =0', 'startTime timestamp!', 'endTime timestamp!', 'request_duration_ms int', 'completionStartTime timestamp',
  "model text! =''", "model_id text =''", "model_group text =''", "custom_llm_provider text =''", "api_base text =''", "user text =''",
  'metadata json ={}', "cache_hit text =''", "cache_key text =''", 'request_tags json =[]', 'team_id text', 'organization_id text',
  'end_user text', 'requester_ip_address text', 'messages json ={}', 'response json ={}', 'session_id text', 'status text',
  // Every row goes through each index on insert: on SQLite, startTime alone is covered by (startTime, request_id), and
  // end_user and session_id (never written by Sluice) are mostly NULL. 12.9 -> 9.9 µs per row inserted on SQLite.
], ['request_id'], [], [
  { columns: ['startTime'], sqlite: 'skip' }, ['startTime', 'request_id'], { columns: ['end_user'], sqlite: 'not-null' }, { columns: ['session_id'], sqlite: 'not-null' },
]);

const DAILY_COLUMNS = [
  'date text!', 'api_key text!', 'model text', 'model_group text', 'custom_llm_provider text', 'mcp_namespaced_tool_name text', 'endpoint text',
  'prompt_tokens bigint! =0', 'completion_tokens bigint! =0', 'cache_read_input_tokens bigint! =0', 'cache_creation_input_tokens bigint! =0',
  'spend float! =0', 'api_requests bigint! =0', 'successful_requests bigint! =0', 'failed_requests bigint! =0', 'created_at timestamp! =now',
  'updated_at timestamp!',
];
const DAILY_REST = ['date', 'api_key', 'model', 'custom_llm_provider', 'mcp_namespaced_tool_name', 'endpoint'];

function dailyTable(name: string, entity: string, extra: string[] = []): TableDef {
  return table(name, ['id text!', ...extra, `${entity} text`, ...DAILY_COLUMNS], ['id'], [[entity, ...DAILY_REST]], [
    ['date'], [entity, 'date'], ['api_key'], ['model'], ['mcp_namespaced_tool_name'], ['endpoint'],
  ]);
}

export const DAILY_USER_SPEND = dailyTable('LiteLLM_DailyUserSpend', 'user_id');
export const DAILY_TEAM_SPEND = dailyTable('LiteLLM_DailyTeamSpend', 'team_id');
export const DAILY_TAG_SPEND = dailyTable('LiteLLM_DailyTagSpend', 'tag', ['request_id text']);
export const DAILY_END_USER_SPEND = dailyTable('LiteLLM_DailyEndUserSpend', 'end_user_id');

/** Sluice's own: every management change, so other instances reload what changed (polled by time, applied idempotently). */
export const CHANGE_LOG = table('Sluice_ChangeLog', ['id text!', 'kind text!', 'entity_id text!', 'created_at timestamp! =now'], ['id'], [], [['created_at']]);

/**
 * Sluice's own: who owns each file and batch handed out through /v1/files and /v1/batches (provider ids, the SHA-256
 * of the gateway key that created them, the deployment that holds them). LiteLLM's LiteLLM_ManagedFileTable and
 * LiteLLM_ManagedObjectTable hold its base64 "unified" ids instead, have no deployment column for batches, and are
 * polled by LiteLLM's batch-cost job, so Sluice keeps its rows apart.
 */
export const OWNED_OBJECTS = table('Sluice_OwnedObject', [
  'kind text!', 'object_id text!', 'owner text!', 'deployment_id text!', 'created_at timestamp! =now', 'usage_recorded bool! =false',
], ['kind', 'object_id'], [], [['owner', 'kind']]);

export const ALL_TABLES: readonly TableDef[] = [
  BUDGET_TABLE, VERIFICATION_TOKEN, TEAM_TABLE, USER_TABLE, END_USER_TABLE, TEAM_MEMBERSHIP, SPEND_LOGS,
  DAILY_USER_SPEND, DAILY_TEAM_SPEND, DAILY_TAG_SPEND, DAILY_END_USER_SPEND, CHANGE_LOG, OWNED_OBJECTS,
];
