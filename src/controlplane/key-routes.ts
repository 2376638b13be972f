// `/key/*`: LiteLLM's virtual-key management (generate, update, delete, info, list, regenerate, block, unblock).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { hashKey, tokenOf } from '../auth/key-hash.js';
import { addDuration, isDuration } from '../limits/duration.js';
import type { Row } from '../store/database.js';
import { DAILY_USER_SPEND, VERIFICATION_TOKEN } from '../store/tables.js';
import { badRequest, checkModelMaxBudget, notFoundError, pick, present, stringField, stringList, type ManagementContext, type ManagementRoute } from './management-context.js';

const KEY_FIELDS = [
  'key_alias', 'models', 'max_budget', 'budget_duration', 'tpm_limit', 'rpm_limit', 'max_parallel_requests', 'metadata', 'team_id', 'user_id',
  'blocked', 'allowed_cache_controls', 'aliases', 'config', 'permissions', 'budget_id', 'organization_id', 'soft_budget_cooldown', 'allowed_routes',
  'model_max_budget',
] as const;

export function newRawKey(): string {
  return `sk-${randomBytes(16).toString('base64url')}`;
}

/** LiteLLM's `key_name`: the key abbreviated to `sk-...XXXX`. */
function abbreviate(rawKey: string): string {
  return `sk-...${rawKey.slice(-4)}`;
}

function validateDuration(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !isDuration(value)) throw badRequest(`${name} must be a duration like 30s, 30m, 24h, 30d or 1mo`, name);
  return value;
}

/** Turns the body's fields into column values: limits, budget reset, expiry, model limits kept in metadata as LiteLLM does. */
function keyValues(body: Row, now: Date, existing: Row | null): Row {
  const values = pick(body, KEY_FIELDS);
  stringList(values.models, 'models');
  checkModelMaxBudget(body);
  const metadata: Record<string, unknown> = { ...((existing?.metadata as Record<string, unknown> | undefined) ?? {}), ...((body.metadata as Record<string, unknown> | undefined) ?? {}) };
  for (const field of ['model_rpm_limit', 'model_tpm_limit', 'tags', 'guardrails'] as const) if (body[field] !== undefined) metadata[field] = body[field];
  if (body.metadata !== undefined || Object.keys(metadata).length > 0) values.metadata = metadata;
  const budgetDuration = validateDuration(body.budget_duration, 'budget_duration');
  if (budgetDuration !== null) values.budget_reset_at = new Date(addDuration(now.getTime(), budgetDuration));
  const duration = validateDuration(body.duration, 'duration');
  if (duration !== null) values.expires = new Date(addDuration(now.getTime(), duration));
  else if (body.expires !== undefined) values.expires = body.expires === null ? null : new Date(String(body.expires));
  for (const field of ['max_budget', 'tpm_limit', 'rpm_limit', 'max_parallel_requests'] as const) {
    const value = values[field];
    if (value !== undefined && value !== null && (typeof value !== 'number' || value < 0)) throw badRequest(`${field} must be a non-negative number`, field);
  }
  values.updated_at = now;
  return values;
}

async function findKey(ctx: ManagementContext, keyOrToken: string | null): Promise<Row> {
  if (keyOrToken === null) throw badRequest('key is required', 'key');
  const row = await ctx.repo.get('key', tokenOf(keyOrToken));
  if (row === null) throw notFoundError(`Key not found: ${keyOrToken.startsWith('sk-') ? abbreviate(keyOrToken) : keyOrToken}`);
  return row;
}

function keyInfo(row: Row): Row {
  const out = present(row);
  out.key_name ??= null;
  return out;
}

const generate: ManagementRoute = async (ctx) => {
  const body = ctx.body;
  const rawKey = stringField(body, 'key') ?? newRawKey();
  if (!rawKey.startsWith('sk-')) throw badRequest("Invalid key format. LiteLLM Virtual Key must start with 'sk-'.", 'key');
  const now = new Date();
  const values = keyValues(body, now, null);
  const token = hashKey(rawKey);
  if ((await ctx.repo.get('key', token)) !== null) throw badRequest('Unable to create key: a key with this value already exists.', 'key');
  const alias = stringField(body, 'key_alias');
  if (alias !== null && (await ctx.repo.all(VERIFICATION_TOKEN, { column: 'key_alias', value: alias })).length > 0) {
    throw badRequest(`Unique key aliases across all keys are required. Key alias=${alias} already exists.`, 'key_alias');
  }
  const row: Row = { models: [], spend: 0, ...values, token, key_name: abbreviate(rawKey), created_at: now, created_by: ctx.caller, updated_by: ctx.caller };
  await ctx.repo.insert(VERIFICATION_TOKEN, row);
  await ctx.changed('key', token);
  const created = (await ctx.repo.get('key', token)) ?? row;
  return { ...keyInfo(created), key: rawKey, token, token_id: token, duration: body.duration ?? null };
};

const update: ManagementRoute = async (ctx) => {
  const existing = await findKey(ctx, stringField(ctx.body, 'key'));
  const token = String(existing.token);
  const values = keyValues(ctx.body, new Date(), existing);
  values.updated_by = ctx.caller;
  await ctx.repo.update('key', token, values);
  await ctx.changed('key', token);
  return { key: ctx.body.key, ...keyInfo((await ctx.repo.get('key', token)) ?? existing) };
};

const remove: ManagementRoute = async (ctx) => {
  const keys = stringList(ctx.body.keys, 'keys') ?? [];
  const aliases = stringList(ctx.body.key_aliases, 'key_aliases') ?? [];
  const tokens = keys.map(tokenOf);
  for (const alias of aliases) for (const row of await ctx.repo.all(VERIFICATION_TOKEN, { column: 'key_alias', value: alias })) tokens.push(String(row.token));
  if (tokens.length === 0) throw badRequest('keys or key_aliases is required', 'keys');
  const found = [];
  for (const token of tokens) if ((await ctx.repo.get('key', token)) !== null) found.push(token);
  if (found.length < tokens.length) throw notFoundError(`Keys not found: ${tokens.length - found.length} of ${tokens.length}`);
  await ctx.repo.remove('key', found);
  for (const token of found) await ctx.changed('key', token);
  return { deleted_keys: keys.length > 0 ? keys : found };
};

/**
 * The key's spend per model, summed from the daily aggregate table at read time: the batch writer already keeps it
 * there, so the request path writes nothing more (Sluice never updates the key row's own `model_spend` column).
 */
async function modelSpendOf(ctx: ManagementContext, token: string): Promise<Record<string, number>> {
  const rows = await ctx.repo.database.db.selectFrom(DAILY_USER_SPEND.name)
    .select(['model', sql<number | string | null>`SUM(spend)`.as('spend')])
    .where('api_key', '=', token).groupBy('model').orderBy('model').execute();
  const spend: Record<string, number> = {};
  // Spend recorded under no model (a request that named none) has no name to report it under.
  for (const row of rows) if (typeof row.model === 'string' && row.model !== '') spend[row.model] = Number(row.spend ?? 0);
  return spend;
}

const info: ManagementRoute = async (ctx) => {
  const requested = ctx.query.get('key') ?? stringField(ctx.body, 'key');
  const row = await findKey(ctx, requested ?? (ctx.caller === 'master' ? null : ctx.caller));
  return { key: requested ?? row.token, info: { ...keyInfo(row), model_spend: await modelSpendOf(ctx, String(row.token)) } };
};

const list: ManagementRoute = async (ctx) => {
  const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
  const size = Math.min(1000, Math.max(1, Number(ctx.query.get('size') ?? 10) || 10));
  let rows = await ctx.repo.all(VERIFICATION_TOKEN);
  for (const field of ['user_id', 'team_id', 'key_alias', 'organization_id'] as const) {
    const wanted = ctx.query.get(field);
    if (wanted !== null) rows = rows.filter((row) => row[field] === wanted);
  }
  rows.sort((a, b) => String(a.token).localeCompare(String(b.token)));
  const slice = rows.slice((page - 1) * size, page * size);
  const full = ctx.query.get('return_full_object') === 'true';
  return { keys: full ? slice.map(keyInfo) : slice.map((row) => row.token), total_count: rows.length, current_page: page, total_pages: Math.ceil(rows.length / size) };
};

const regenerate: ManagementRoute = async (ctx) => {
  const existing = await findKey(ctx, stringField(ctx.body, 'key'));
  const oldToken = String(existing.token);
  const rawKey = stringField(ctx.body, 'new_key') ?? newRawKey();
  const token = hashKey(rawKey);
  const values = keyValues(ctx.body, new Date(), existing);
  Object.assign(values, { token, key_name: abbreviate(rawKey), rotation_count: Number(existing.rotation_count ?? 0) + 1, last_rotation_at: new Date() });
  await ctx.repo.update('key', oldToken, values);
  await ctx.changed('key', oldToken);
  await ctx.changed('key', token);
  const row = (await ctx.repo.get('key', token)) ?? existing;
  return { ...keyInfo(row), key: rawKey, token, token_id: token };
};

function setBlocked(blocked: boolean): ManagementRoute {
  return async (ctx) => {
    const existing = await findKey(ctx, stringField(ctx.body, 'key'));
    const token = String(existing.token);
    await ctx.repo.update('key', token, { blocked, updated_at: new Date(), updated_by: ctx.caller });
    await ctx.changed('key', token);
    return keyInfo((await ctx.repo.get('key', token)) ?? existing);
  };
}

export const KEY_ROUTES: ReadonlyArray<[string, 'GET' | 'POST', ManagementRoute]> = [
  ['/key/generate', 'POST', generate],
  ['/key/update', 'POST', update],
  ['/key/delete', 'POST', remove],
  ['/key/info', 'GET', info],
  ['/key/list', 'GET', list],
  ['/key/regenerate', 'POST', regenerate],
  ['/key/block', 'POST', setBlocked(true)],
  ['/key/unblock', 'POST', setBlocked(false)],
];
