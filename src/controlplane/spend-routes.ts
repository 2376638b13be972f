// `/spend/logs`, `/global/spend/*` and `/user/daily/activity`: where the money went, read from SpendLogs and daily tables.
import { sql } from 'kysely';
import { tokenOf } from '../auth/key-hash.js';
import { decodeRow, encodeRow } from '../store/codec.js';
import type { Row } from '../store/database.js';
import { DAILY_USER_SPEND, SPEND_LOGS, TEAM_TABLE, VERIFICATION_TOKEN } from '../store/tables.js';
import { present, type ManagementContext, type ManagementRoute } from './management-context.js';

function dateRange(ctx: ManagementContext): { start: Date | null; end: Date | null } {
  const start = ctx.query.get('start_date');
  const end = ctx.query.get('end_date');
  // An end date without a time means the whole day.
  const endDate = end === null ? null : new Date(end.length === 10 ? `${end}T23:59:59.999Z` : end);
  return { start: start === null ? null : new Date(start), end: endDate };
}

function limitOf(ctx: ManagementContext, fallback: number): number {
  return Math.min(10_000, Math.max(1, Number(ctx.query.get('limit') ?? fallback) || fallback));
}

const spendLogs: ManagementRoute = async (ctx) => {
  const { db, dialect } = ctx.repo.database;
  let query = db.selectFrom(SPEND_LOGS.name).selectAll();
  const apiKey = ctx.query.get('api_key');
  if (apiKey !== null) query = query.where('api_key', '=', tokenOf(apiKey));
  for (const field of ['user_id', 'request_id', 'team_id'] as const) {
    const value = ctx.query.get(field);
    if (value !== null) query = query.where(field === 'user_id' ? 'user' : field, '=', value);
  }
  const { start, end } = dateRange(ctx);
  if (start !== null) query = query.where('startTime', '>=', encodeRow(SPEND_LOGS, { startTime: start }, dialect).startTime);
  if (end !== null) query = query.where('startTime', '<=', encodeRow(SPEND_LOGS, { startTime: end }, dialect).startTime);
  const rows = await query.orderBy('startTime', 'desc').limit(limitOf(ctx, 1000)).execute();
  return rows.map((row) => present(decodeRow(SPEND_LOGS, row)));
};

async function spendBy(ctx: ManagementContext, column: string): Promise<Array<{ group: string | null; total_spend: number; total_tokens: number }>> {
  const { db, dialect } = ctx.repo.database;
  let query = db.selectFrom(SPEND_LOGS.name).select([sql<string | null>`${sql.ref(column)}`.as('group'), sql<number>`SUM(spend)`.as('total_spend'), sql<number>`SUM(total_tokens)`.as('total_tokens')]);
  const { start, end } = dateRange(ctx);
  if (start !== null) query = query.where('startTime', '>=', encodeRow(SPEND_LOGS, { startTime: start }, dialect).startTime);
  if (end !== null) query = query.where('startTime', '<=', encodeRow(SPEND_LOGS, { startTime: end }, dialect).startTime);
  const rows = await query.groupBy(column).orderBy('total_spend', 'desc').limit(limitOf(ctx, 100)).execute();
  return rows.map((row) => ({ group: (row.group as string | null) ?? null, total_spend: Number(row.total_spend ?? 0), total_tokens: Number(row.total_tokens ?? 0) }));
}

const globalKeys: ManagementRoute = async (ctx) => {
  const keys = new Map((await ctx.repo.all(VERIFICATION_TOKEN)).map((row) => [String(row.token), row]));
  return (await spendBy(ctx, 'api_key')).map((row) => ({ api_key: row.group, total_spend: row.total_spend, key_alias: keys.get(String(row.group))?.key_alias ?? null, key_name: keys.get(String(row.group))?.key_name ?? null }));
};

const globalModels: ManagementRoute = async (ctx) => (await spendBy(ctx, 'model_group')).map((row) => ({ model: row.group, total_spend: row.total_spend }));

const globalTeams: ManagementRoute = async (ctx) => {
  const teams = new Map((await ctx.repo.all(TEAM_TABLE)).map((row) => [String(row.team_id), row]));
  const perTeam = (await spendBy(ctx, 'team_id')).map((row) => ({ team_id: row.group, team_alias: teams.get(String(row.group))?.team_alias ?? null, total_spend: row.total_spend }));
  return { total_spend_per_team: perTeam, teams: perTeam.map((row) => row.team_alias ?? row.team_id) };
};

const globalReport: ManagementRoute = async (ctx) => {
  const groupBy = ctx.query.get('group_by') ?? 'team';
  const column = groupBy === 'customer' ? 'end_user' : groupBy === 'api_key' ? 'api_key' : 'team_id';
  const rows = await spendBy(ctx, column);
  return rows.map((row) => ({ [groupBy === 'team' ? 'team_id' : groupBy]: row.group, total_spend: row.total_spend, total_tokens: row.total_tokens }));
};

interface Metrics {
  spend: number; prompt_tokens: number; completion_tokens: number; total_tokens: number; cache_read_input_tokens: number;
  cache_creation_input_tokens: number; api_requests: number; successful_requests: number; failed_requests: number;
}

function emptyMetrics(): Metrics {
  return { spend: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, api_requests: 0, successful_requests: 0, failed_requests: 0 };
}

function addMetrics(into: Metrics, row: Row): void {
  into.spend += Number(row.spend ?? 0);
  into.prompt_tokens += Number(row.prompt_tokens ?? 0);
  into.completion_tokens += Number(row.completion_tokens ?? 0);
  into.total_tokens += Number(row.prompt_tokens ?? 0) + Number(row.completion_tokens ?? 0);
  into.cache_read_input_tokens += Number(row.cache_read_input_tokens ?? 0);
  into.cache_creation_input_tokens += Number(row.cache_creation_input_tokens ?? 0);
  into.api_requests += Number(row.api_requests ?? 0);
  into.successful_requests += Number(row.successful_requests ?? 0);
  into.failed_requests += Number(row.failed_requests ?? 0);
}

function breakdown(into: Record<string, { metrics: Metrics }>, name: unknown, row: Row): void {
  const key = typeof name === 'string' && name !== '' ? name : 'unknown';
  addMetrics((into[key] ??= { metrics: emptyMetrics() }).metrics, row);
}

const dailyActivity: ManagementRoute = async (ctx) => {
  const { db } = ctx.repo.database;
  let query = db.selectFrom(DAILY_USER_SPEND.name).selectAll();
  const start = ctx.query.get('start_date');
  const end = ctx.query.get('end_date');
  if (start !== null) query = query.where('date', '>=', start.slice(0, 10));
  if (end !== null) query = query.where('date', '<=', end.slice(0, 10));
  for (const [param, column] of [['model', 'model'], ['api_key', 'api_key'], ['user_id', 'user_id']] as const) {
    const value = ctx.query.get(param);
    if (value !== null) query = query.where(column, '=', param === 'api_key' ? tokenOf(value) : value);
  }
  const rows = (await query.orderBy('date').execute()).map((row) => decodeRow(DAILY_USER_SPEND, row));
  const days = new Map<string, { date: string; metrics: Metrics; breakdown: { models: Record<string, { metrics: Metrics }>; api_keys: Record<string, { metrics: Metrics }>; providers: Record<string, { metrics: Metrics }> } }>();
  const totals = emptyMetrics();
  for (const row of rows) {
    const date = String(row.date);
    let day = days.get(date);
    if (day === undefined) days.set(date, (day = { date, metrics: emptyMetrics(), breakdown: { models: {}, api_keys: {}, providers: {} } }));
    addMetrics(day.metrics, row);
    addMetrics(totals, row);
    breakdown(day.breakdown.models, row.model_group ?? row.model, row);
    breakdown(day.breakdown.api_keys, row.api_key, row);
    breakdown(day.breakdown.providers, row.custom_llm_provider, row);
  }
  return {
    results: [...days.values()],
    metadata: {
      total_spend: totals.spend, total_prompt_tokens: totals.prompt_tokens, total_completion_tokens: totals.completion_tokens, total_tokens: totals.total_tokens,
      total_api_requests: totals.api_requests, total_successful_requests: totals.successful_requests, total_failed_requests: totals.failed_requests,
      total_cache_read_input_tokens: totals.cache_read_input_tokens, total_cache_creation_input_tokens: totals.cache_creation_input_tokens,
      page: 1, total_pages: 1, has_more: false,
    },
  };
};

export const SPEND_ROUTES: ReadonlyArray<[string, 'GET' | 'POST', ManagementRoute]> = [
  ['/spend/logs', 'GET', spendLogs],
  ['/global/spend/report', 'GET', globalReport],
  ['/global/spend/keys', 'GET', globalKeys],
  ['/global/spend/models', 'GET', globalModels],
  ['/global/spend/teams', 'GET', globalTeams],
  ['/user/daily/activity', 'GET', dailyActivity],
];
