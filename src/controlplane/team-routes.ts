// `/team/*`: LiteLLM's team management (new, update, delete, info, list, block, unblock; members in team-member-routes).
import { randomUUID } from 'node:crypto';
import type { Row } from '../store/database.js';
import { memberId } from '../store/repository.js';
import { TEAM_TABLE, VERIFICATION_TOKEN } from '../store/tables.js';
import { badRequest, budgetFields, checkModelMaxBudget, notFoundError, pick, present, stringField, stringList, type ManagementContext, type ManagementRoute } from './management-context.js';
import { TEAM_BULK_MEMBER_ROUTES } from './team-bulk-member-routes.js';
import { addMembers, membersOf, TEAM_MEMBER_ROUTES, teamDefaultBudget, teamDefaultBudgetId, teamMemberships } from './team-member-routes.js';

const TEAM_FIELDS = ['team_alias', 'organization_id', 'metadata', 'max_budget', 'soft_budget', 'models', 'max_parallel_requests', 'tpm_limit', 'rpm_limit', 'budget_duration', 'blocked', 'model_max_budget'] as const;

async function findTeam(ctx: ManagementContext, id: string | null): Promise<Row> {
  if (id === null) throw badRequest('team_id is required', 'team_id');
  const row = await ctx.repo.get('team', id);
  if (row === null) throw notFoundError(`Team not found, passed team_id=${id}`);
  return row;
}

const create: ManagementRoute = async (ctx) => {
  const body = ctx.body;
  stringList(body.models, 'models');
  checkModelMaxBudget(body);
  const teamId = stringField(body, 'team_id') ?? randomUUID();
  if ((await ctx.repo.get('team', teamId)) !== null) throw badRequest(`Team id = ${teamId} already exists. Please use a different team id.`, 'team_id');
  const now = new Date();
  const values = { models: [], admins: [], members: [], members_with_roles: [], spend: 0, ...pick(body, TEAM_FIELDS), ...budgetFields(body, now), team_id: teamId, blocked: body.blocked === true, created_at: now, updated_at: now };
  const metadata = await teamDefaultBudget(ctx, body, null);
  await ctx.repo.insert(TEAM_TABLE, metadata === null ? values : { ...values, metadata });
  const members = membersOf(body.members_with_roles, 'members_with_roles');
  if (members.length > 0) await addMembers(ctx, (await ctx.repo.get('team', teamId))!, members, null);
  await ctx.changed('team', teamId);
  return present((await ctx.repo.get('team', teamId))!);
};

const update: ManagementRoute = async (ctx) => {
  const team = await findTeam(ctx, stringField(ctx.body, 'team_id'));
  const teamId = String(team.team_id);
  stringList(ctx.body.models, 'models');
  checkModelMaxBudget(ctx.body);
  const values: Row = { ...pick(ctx.body, TEAM_FIELDS), ...budgetFields(ctx.body, new Date()), updated_at: new Date() };
  const metadata = await teamDefaultBudget(ctx, ctx.body, team);
  const defaultBudget = teamDefaultBudgetId(team);
  if (metadata !== null) values.metadata = metadata;
  // New metadata must not drop the link to the team's default member budget.
  else if (values.metadata !== undefined && defaultBudget !== null) values.metadata = { ...(values.metadata as Record<string, unknown>), team_member_budget_id: defaultBudget };
  await ctx.repo.update('team', teamId, values);
  await ctx.changed('team', teamId);
  return { team_id: teamId, data: present((await ctx.repo.get('team', teamId))!) };
};

const remove: ManagementRoute = async (ctx) => {
  const ids = stringList(ctx.body.team_ids, 'team_ids') ?? [];
  if (ids.length === 0) throw badRequest('team_ids is required', 'team_ids');
  for (const id of ids) await findTeam(ctx, id);
  await ctx.repo.remove('team', ids);
  for (const id of ids) {
    for (const userId of await ctx.repo.removeMemberships(id)) await ctx.changed('team_member', memberId(id, userId));
    await ctx.changed('team', id);
  }
  return { deleted_teams: ids };
};

const info: ManagementRoute = async (ctx) => {
  const team = await findTeam(ctx, ctx.query.get('team_id') ?? stringField(ctx.body, 'team_id'));
  const keys = await ctx.repo.all(VERIFICATION_TOKEN, { column: 'team_id', value: team.team_id });
  const defaultBudget = teamDefaultBudgetId(team);
  const memberBudget = defaultBudget === null ? null : await ctx.repo.get('budget', defaultBudget);
  const teamInfo = { ...present(team), team_member_budget_table: memberBudget === null ? null : present(memberBudget) };
  return { team_id: team.team_id, team_info: teamInfo, keys: keys.map(present), team_memberships: await teamMemberships(ctx, String(team.team_id)) };
};

const list: ManagementRoute = async (ctx) => {
  const rows = await ctx.repo.all(TEAM_TABLE);
  const userId = ctx.query.get('user_id');
  const filtered = userId === null ? rows : rows.filter((row) => Array.isArray(row.members) && (row.members as string[]).includes(userId));
  return filtered.map(present);
};

function setBlocked(blocked: boolean): ManagementRoute {
  return async (ctx) => {
    const team = await findTeam(ctx, stringField(ctx.body, 'team_id'));
    await ctx.repo.update('team', String(team.team_id), { blocked, updated_at: new Date() });
    await ctx.changed('team', String(team.team_id));
    return present((await ctx.repo.get('team', String(team.team_id)))!);
  };
}

export const TEAM_ROUTES: ReadonlyArray<[string, 'GET' | 'POST', ManagementRoute]> = [
  ['/team/new', 'POST', create],
  ['/team/update', 'POST', update],
  ['/team/delete', 'POST', remove],
  ['/team/info', 'GET', info],
  ['/team/list', 'GET', list],
  ...TEAM_MEMBER_ROUTES,
  ...TEAM_BULK_MEMBER_ROUTES,
  ['/team/block', 'POST', setBlocked(true)],
  ['/team/unblock', 'POST', setBlocked(false)],
];
