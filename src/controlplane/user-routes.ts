// `/user/*`: LiteLLM's internal-user management (new, update, delete, info, list); `/user/new` also issues a key.
import { randomUUID } from 'node:crypto';
import { hashKey } from '../auth/key-hash.js';
import type { Row } from '../store/database.js';
import { TEAM_TABLE, USER_TABLE, VERIFICATION_TOKEN } from '../store/tables.js';
import { newRawKey } from './key-routes.js';
import { joinTeams, teamsToJoin } from './user-teams.js';
import { badRequest, budgetFields, checkModelMaxBudget, notFoundError, pick, present, stringField, stringList, type ManagementContext, type ManagementRoute } from './management-context.js';

const USER_FIELDS = ['user_alias', 'user_email', 'user_role', 'team_id', 'organization_id', 'max_budget', 'models', 'metadata', 'max_parallel_requests', 'tpm_limit', 'rpm_limit', 'budget_duration', 'teams', 'allowed_cache_controls', 'model_max_budget'] as const;
/** On `/user/new`, `teams` is filled by joining them (memberships, the teams' member lists), never copied from the body. */
const NEW_USER_FIELDS = USER_FIELDS.filter((field) => field !== 'teams');
const ROLES = new Set(['proxy_admin', 'proxy_admin_viewer', 'internal_user', 'internal_user_viewer', 'team', 'customer']);

function checkRole(body: Row): void {
  const role = body.user_role;
  if (role !== undefined && role !== null && (typeof role !== 'string' || !ROLES.has(role))) throw badRequest(`user_role must be one of ${[...ROLES].join(', ')}`, 'user_role');
}

async function findUser(ctx: ManagementContext, id: string | null): Promise<Row> {
  if (id === null) throw badRequest('user_id is required', 'user_id');
  const row = await ctx.repo.get('user', id);
  if (row === null) throw notFoundError(`User not found, passed user_id=${id}`);
  return row;
}

const create: ManagementRoute = async (ctx) => {
  const body = ctx.body;
  checkRole(body);
  checkModelMaxBudget(body);
  stringList(body.models, 'models');
  const userId = stringField(body, 'user_id') ?? randomUUID();
  if ((await ctx.repo.get('user', userId)) !== null) throw badRequest(`User with id=${userId} already exists.`, 'user_id');
  const teams = await teamsToJoin(ctx, body.teams);
  const now = new Date();
  await ctx.repo.insert(USER_TABLE, { models: [], teams: [], spend: 0, user_role: 'internal_user', ...pick(body, NEW_USER_FIELDS), ...budgetFields(body, now), user_id: userId, created_at: now, updated_at: now });
  await ctx.changed('user', userId);
  await joinTeams(ctx, userId, stringField(body, 'user_email'), teams);
  const user = present((await ctx.repo.get('user', userId))!);
  if (body.auto_create_key === false) return user;
  const rawKey = newRawKey();
  const token = hashKey(rawKey);
  await ctx.repo.insert(VERIFICATION_TOKEN, { token, key_name: `sk-...${rawKey.slice(-4)}`, user_id: userId, team_id: stringField(body, 'team_id'), models: body.models ?? [], spend: 0, metadata: {}, created_at: now, updated_at: now, created_by: ctx.caller, updated_by: ctx.caller });
  await ctx.changed('key', token);
  return { ...user, key: rawKey, token };
};

const update: ManagementRoute = async (ctx) => {
  const user = await findUser(ctx, stringField(ctx.body, 'user_id'));
  checkRole(ctx.body);
  checkModelMaxBudget(ctx.body);
  stringList(ctx.body.models, 'models');
  const userId = String(user.user_id);
  await ctx.repo.update('user', userId, { ...pick(ctx.body, USER_FIELDS), ...budgetFields(ctx.body, new Date()), updated_at: new Date() });
  await ctx.changed('user', userId);
  return present((await ctx.repo.get('user', userId))!);
};

const remove: ManagementRoute = async (ctx) => {
  const ids = stringList(ctx.body.user_ids, 'user_ids') ?? [];
  if (ids.length === 0) throw badRequest('user_ids is required', 'user_ids');
  for (const id of ids) await findUser(ctx, id);
  await ctx.repo.remove('user', ids);
  for (const id of ids) await ctx.changed('user', id);
  return { deleted_users: ids };
};

const info: ManagementRoute = async (ctx) => {
  const user = await findUser(ctx, ctx.query.get('user_id') ?? stringField(ctx.body, 'user_id'));
  const keys = await ctx.repo.all(VERIFICATION_TOKEN, { column: 'user_id', value: user.user_id });
  const teamIds = Array.isArray(user.teams) ? (user.teams as string[]) : [];
  const teams = (await ctx.repo.all(TEAM_TABLE)).filter((team) => teamIds.includes(String(team.team_id)));
  return { user_id: user.user_id, user_info: present(user), keys: keys.map(present), teams: teams.map(present) };
};

const list: ManagementRoute = async (ctx) => {
  const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
  const pageSize = Math.min(100, Math.max(1, Number(ctx.query.get('page_size') ?? 25) || 25));
  let rows = await ctx.repo.all(USER_TABLE);
  const role = ctx.query.get('role');
  if (role !== null) rows = rows.filter((row) => row.user_role === role);
  rows.sort((a, b) => String(a.user_id).localeCompare(String(b.user_id)));
  return { users: rows.slice((page - 1) * pageSize, page * pageSize).map(present), total: rows.length, page, page_size: pageSize, total_pages: Math.ceil(rows.length / pageSize) };
};

export const USER_ROUTES: ReadonlyArray<[string, 'GET' | 'POST', ManagementRoute]> = [
  ['/user/new', 'POST', create],
  ['/user/update', 'POST', update],
  ['/user/delete', 'POST', remove],
  ['/user/info', 'GET', info],
  ['/user/list', 'GET', list],
];
