// `/team/*`: LiteLLM's team management (new, update, delete, info, list, member_add, member_delete).
import { randomUUID } from 'node:crypto';
import { addDuration, isDuration } from '../limits/duration.js';
import type { Row } from '../store/database.js';
import { TEAM_MEMBERSHIP, TEAM_TABLE, USER_TABLE, VERIFICATION_TOKEN } from '../store/tables.js';
import { badRequest, notFoundError, pick, present, requireString, stringField, stringList, type ManagementContext, type ManagementRoute } from './management-context.js';

const TEAM_FIELDS = ['team_alias', 'organization_id', 'metadata', 'max_budget', 'soft_budget', 'models', 'max_parallel_requests', 'tpm_limit', 'rpm_limit', 'budget_duration', 'blocked', 'model_max_budget'] as const;

interface Member {
  user_id: string;
  role: string;
  user_email?: string | null;
}

function membersOf(value: unknown): Member[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((item: unknown) => {
    const member = (item ?? {}) as Record<string, unknown>;
    const userId = typeof member.user_id === 'string' ? member.user_id : typeof member.user_email === 'string' ? member.user_email : null;
    if (userId === null) throw badRequest('each member needs user_id or user_email', 'member');
    return { user_id: userId, role: typeof member.role === 'string' ? member.role : 'user', user_email: typeof member.user_email === 'string' ? member.user_email : null };
  });
}

export function budgetFields(body: Row, now: Date): Row {
  const duration = body.budget_duration;
  if (duration === undefined || duration === null) return {};
  if (typeof duration !== 'string' || !isDuration(duration)) throw badRequest('budget_duration must be a duration like 30s, 30m, 24h, 30d or 1mo', 'budget_duration');
  return { budget_reset_at: new Date(addDuration(now.getTime(), duration)) };
}

async function findTeam(ctx: ManagementContext, id: string | null): Promise<Row> {
  if (id === null) throw badRequest('team_id is required', 'team_id');
  const row = await ctx.repo.get('team', id);
  if (row === null) throw notFoundError(`Team not found, passed team_id=${id}`);
  return row;
}

/** Adds members to the team row and each user's `teams`, creating users that do not exist yet. */
async function addMembers(ctx: ManagementContext, team: Row, members: Member[]): Promise<Row[]> {
  const teamId = String(team.team_id);
  const withRoles = Array.isArray(team.members_with_roles) ? (team.members_with_roles as Member[]) : [];
  const updatedUsers: Row[] = [];
  for (const member of members) {
    if (!withRoles.some((existing) => existing.user_id === member.user_id)) withRoles.push(member);
    const user = await ctx.repo.get('user', member.user_id);
    if (user === null) {
      await ctx.repo.insert(USER_TABLE, { user_id: member.user_id, user_email: member.user_email, teams: [teamId], models: [], spend: 0, created_at: new Date(), updated_at: new Date() });
    } else {
      const teams = new Set(Array.isArray(user.teams) ? (user.teams as string[]) : []);
      teams.add(teamId);
      await ctx.repo.update('user', member.user_id, { teams: [...teams], updated_at: new Date() });
    }
    await ctx.changed('user', member.user_id);
    updatedUsers.push(present((await ctx.repo.get('user', member.user_id)) ?? {}));
  }
  const admins = withRoles.filter((member) => member.role === 'admin').map((member) => member.user_id);
  await ctx.repo.update('team', teamId, { members_with_roles: withRoles, admins, members: withRoles.map((member) => member.user_id), updated_at: new Date() });
  return updatedUsers;
}

const create: ManagementRoute = async (ctx) => {
  const body = ctx.body;
  stringList(body.models, 'models');
  const teamId = stringField(body, 'team_id') ?? randomUUID();
  if ((await ctx.repo.get('team', teamId)) !== null) throw badRequest(`Team id = ${teamId} already exists. Please use a different team id.`, 'team_id');
  const now = new Date();
  await ctx.repo.insert(TEAM_TABLE, { models: [], admins: [], members: [], members_with_roles: [], spend: 0, ...pick(body, TEAM_FIELDS), ...budgetFields(body, now), team_id: teamId, blocked: body.blocked === true, created_at: now, updated_at: now });
  const members = membersOf(body.members_with_roles);
  if (members.length > 0) await addMembers(ctx, (await ctx.repo.get('team', teamId))!, members);
  await ctx.changed('team', teamId);
  return present((await ctx.repo.get('team', teamId))!);
};

const update: ManagementRoute = async (ctx) => {
  const team = await findTeam(ctx, stringField(ctx.body, 'team_id'));
  const teamId = String(team.team_id);
  stringList(ctx.body.models, 'models');
  await ctx.repo.update('team', teamId, { ...pick(ctx.body, TEAM_FIELDS), ...budgetFields(ctx.body, new Date()), updated_at: new Date() });
  await ctx.changed('team', teamId);
  return { team_id: teamId, data: present((await ctx.repo.get('team', teamId))!) };
};

const remove: ManagementRoute = async (ctx) => {
  const ids = stringList(ctx.body.team_ids, 'team_ids') ?? [];
  if (ids.length === 0) throw badRequest('team_ids is required', 'team_ids');
  for (const id of ids) await findTeam(ctx, id);
  await ctx.repo.remove('team', ids);
  for (const id of ids) await ctx.changed('team', id);
  return { deleted_teams: ids };
};

const info: ManagementRoute = async (ctx) => {
  const team = await findTeam(ctx, ctx.query.get('team_id') ?? stringField(ctx.body, 'team_id'));
  const keys = await ctx.repo.all(VERIFICATION_TOKEN, { column: 'team_id', value: team.team_id });
  const memberships = await ctx.repo.all(TEAM_MEMBERSHIP, { column: 'team_id', value: team.team_id });
  return { team_id: team.team_id, team_info: present(team), keys: keys.map(present), team_memberships: memberships };
};

const list: ManagementRoute = async (ctx) => {
  const rows = await ctx.repo.all(TEAM_TABLE);
  const userId = ctx.query.get('user_id');
  const filtered = userId === null ? rows : rows.filter((row) => Array.isArray(row.members) && (row.members as string[]).includes(userId));
  return filtered.map(present);
};

const memberAdd: ManagementRoute = async (ctx) => {
  const team = await findTeam(ctx, stringField(ctx.body, 'team_id'));
  const updatedUsers = await addMembers(ctx, team, membersOf(ctx.body.member));
  await ctx.changed('team', String(team.team_id));
  return { ...present((await ctx.repo.get('team', String(team.team_id)))!), updated_users: updatedUsers, updated_team_memberships: [] };
};

const memberDelete: ManagementRoute = async (ctx) => {
  const team = await findTeam(ctx, stringField(ctx.body, 'team_id'));
  const teamId = String(team.team_id);
  const userId = stringField(ctx.body, 'user_id') ?? requireString(ctx.body, 'user_email');
  const withRoles = (Array.isArray(team.members_with_roles) ? (team.members_with_roles as Member[]) : []).filter((member) => member.user_id !== userId);
  await ctx.repo.update('team', teamId, { members_with_roles: withRoles, members: withRoles.map((member) => member.user_id), admins: withRoles.filter((m) => m.role === 'admin').map((m) => m.user_id), updated_at: new Date() });
  const user = await ctx.repo.get('user', userId);
  if (user !== null) {
    await ctx.repo.update('user', userId, { teams: (Array.isArray(user.teams) ? (user.teams as string[]) : []).filter((id) => id !== teamId), updated_at: new Date() });
    await ctx.changed('user', userId);
  }
  await ctx.changed('team', teamId);
  return present((await ctx.repo.get('team', teamId))!);
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
  ['/team/member_add', 'POST', memberAdd],
  ['/team/member_delete', 'POST', memberDelete],
  ['/team/block', 'POST', setBlocked(true)],
  ['/team/unblock', 'POST', setBlocked(false)],
];
