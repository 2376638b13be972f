// Read routes the admin UI's Logs and Usage screens need beyond the governance set: the spend log paged and filtered
// by indexed columns (`/spend/logs/ui`, LiteLLM's path) and daily activity per team (`/team/daily/activity`) and
// per user (`/user/daily/activity/users`).
import { tokenOf } from '../auth/key-hash.js';
import { decodeRow, encodeRow } from '../store/codec.js';
import type { Row } from '../store/database.js';
import { DAILY_TEAM_SPEND, DAILY_USER_SPEND, SPEND_LOGS, type TableDef } from '../store/tables.js';
import { maskSecrets } from './ui/mask-secrets.js';
import { present, type ManagementContext, type ManagementRoute } from './management-context.js';

/** Columns the list shows; message bodies and the response come only with the detail view (`request_id`). */
const LIST_COLUMNS = [
  'request_id', 'call_type', 'api_key', 'spend', 'total_tokens', 'prompt_tokens', 'completion_tokens', 'startTime', 'endTime',
  'request_duration_ms', 'model', 'model_id', 'model_group', 'custom_llm_provider', 'api_base', 'user', 'cache_hit', 'team_id', 'end_user', 'status', 'metadata',
] as const;

function intParam(ctx: ManagementContext, name: string, fallback: number, max: number): number {
  const value = Number(ctx.query.get(name) ?? fallback);
  return Number.isInteger(value) && value >= 1 ? Math.min(value, max) : fallback;
}

/** Strips what must never reach a browser: secrets in metadata and any header copies. */
function presentLog(row: Row): Row {
  const out = present(decodeRow(SPEND_LOGS, row));
  // api_key here is the key's SHA-256 token (LiteLLM shows it too): an identifier, not a secret.
  const masked = maskSecrets({ ...out, api_key: null }) as Row;
  masked.api_key = out.api_key;
  return masked;
}

const spendLogsUi: ManagementRoute = async (ctx) => {
  const { db, dialect } = ctx.repo.database;
  const page = intParam(ctx, 'page', 1, 1_000_000);
  const pageSize = intParam(ctx, 'page_size', 50, 500);
  const requestId = ctx.query.get('request_id');
  let query = db.selectFrom(SPEND_LOGS.name);
  if (requestId !== null) query = query.where('request_id', '=', requestId);
  const apiKey = ctx.query.get('api_key');
  if (apiKey !== null && apiKey !== '') query = query.where('api_key', '=', tokenOf(apiKey));
  for (const [param, column] of [['team_id', 'team_id'], ['model', 'model_group'], ['user_id', 'user'], ['end_user', 'end_user']] as const) {
    const value = ctx.query.get(param);
    if (value !== null && value !== '') query = query.where(column, '=', value);
  }
  const status = ctx.query.get('status_filter') ?? ctx.query.get('status');
  if (status === 'success') query = query.where((eb) => eb.or([eb('status', '=', 'success'), eb('status', 'is', null)]));
  else if (status === 'failure') query = query.where('status', '=', 'failure');
  const start = ctx.query.get('start_date');
  const end = ctx.query.get('end_date');
  if (start !== null && start !== '') query = query.where('startTime', '>=', encodeRow(SPEND_LOGS, { startTime: new Date(start) }, dialect).startTime);
  if (end !== null && end !== '') query = query.where('startTime', '<=', encodeRow(SPEND_LOGS, { startTime: new Date(end.length === 10 ? `${end}T23:59:59.999Z` : end) }, dialect).startTime);
  const detail = requestId !== null;
  const [rows, count] = await Promise.all([
    (detail ? query.selectAll() : query.select([...LIST_COLUMNS]).$castTo<Row>()).orderBy('startTime', 'desc').orderBy('request_id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute() as Promise<Row[]>,
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ]);
  const total = Number(count?.n ?? 0);
  return { data: rows.map((row: Row) => presentLog(row)), total, page, page_size: pageSize, total_pages: Math.ceil(total / pageSize) };
};

interface GroupDay {
  date: string;
  metrics: { spend: number; prompt_tokens: number; completion_tokens: number; total_tokens: number; api_requests: number; successful_requests: number; failed_requests: number };
  breakdown: Record<string, Record<string, { spend: number; api_requests: number; total_tokens: number }>>;
}

/** Per-day totals of one daily table with a breakdown by its entity column (`team_id` → `teams`, `user_id` → `users`). */
const groupDailyActivity = (table: TableDef, column: 'team_id' | 'user_id', filter: string, label: string, none: string): ManagementRoute => async (ctx) => {
  let query = ctx.repo.database.db.selectFrom(table.name).selectAll();
  const start = ctx.query.get('start_date');
  const end = ctx.query.get('end_date');
  if (start !== null) query = query.where('date', '>=', start.slice(0, 10));
  if (end !== null) query = query.where('date', '<=', end.slice(0, 10));
  const ids = ctx.query.get(filter);
  if (ids !== null && ids !== '') query = query.where(column, 'in', ids.split(','));
  const days = new Map<string, GroupDay>();
  for (const raw of await query.orderBy('date').execute()) {
    const row = decodeRow(table, raw);
    const date = String(row.date);
    let day = days.get(date);
    if (day === undefined) days.set(date, (day = { date, metrics: { spend: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, api_requests: 0, successful_requests: 0, failed_requests: 0 }, breakdown: { [label]: {} } }));
    const tokens = Number(row.prompt_tokens ?? 0) + Number(row.completion_tokens ?? 0);
    day.metrics.spend += Number(row.spend ?? 0);
    day.metrics.prompt_tokens += Number(row.prompt_tokens ?? 0);
    day.metrics.completion_tokens += Number(row.completion_tokens ?? 0);
    day.metrics.total_tokens += tokens;
    day.metrics.api_requests += Number(row.api_requests ?? 0);
    day.metrics.successful_requests += Number(row.successful_requests ?? 0);
    day.metrics.failed_requests += Number(row.failed_requests ?? 0);
    const entity = row[column];
    const group = (day.breakdown[label]![typeof entity === 'string' && entity !== '' ? entity : none] ??= { spend: 0, api_requests: 0, total_tokens: 0 });
    group.spend += Number(row.spend ?? 0);
    group.api_requests += Number(row.api_requests ?? 0);
    group.total_tokens += tokens;
  }
  return { results: [...days.values()] };
};

export const UI_SPEND_ROUTES: ReadonlyArray<[string, 'GET' | 'POST', ManagementRoute]> = [
  ['/spend/logs/ui', 'GET', spendLogsUi],
  ['/team/daily/activity', 'GET', groupDailyActivity(DAILY_TEAM_SPEND, 'team_id', 'team_ids', 'teams', 'no team')],
  ['/user/daily/activity/users', 'GET', groupDailyActivity(DAILY_USER_SPEND, 'user_id', 'user_ids', 'users', 'no user')],
];
