// Team membership and budgets within a team (LiteLLM_TeamMembership → LiteLLM_BudgetTable): `/team/member_add`,
// `/team/member_update`, `/team/member_delete`, the team's default member budget (`team_member_budget`) and the
// membership view `/team/info` answers with.
import { randomUUID } from 'node:crypto';
import type { Row } from '../store/database.js';
import { memberId } from '../store/repository.js';
import { BUDGET_TABLE, TEAM_MEMBERSHIP, USER_TABLE } from '../store/tables.js';
import { badRequest, budgetFields, notFoundError, present, stringField, type ManagementContext, type ManagementRoute } from './management-context.js';

export interface Member {
  user_id: string;
  role: string;
  user_email?: string | null;
}

/** The member limits a request may set, as LiteLLM names them → their LiteLLM_BudgetTable columns. */
const MEMBER_BUDGET_FIELDS = { max_budget_in_team: 'max_budget', rpm_limit: 'rpm_limit', tpm_limit: 'tpm_limit', budget_duration: 'budget_duration' } as const;
/** `/team/new` and `/team/update`: the default budget of members without their own. */
const TEAM_DEFAULT_FIELDS = { team_member_budget: 'max_budget', team_member_rpm_limit: 'rpm_limit', team_member_tpm_limit: 'tpm_limit' } as const;
/** A budget row limits something only when one of these is set (else the member falls back to the team default). */
const LIMIT_COLUMNS = ['max_budget', 'rpm_limit', 'tpm_limit', 'max_parallel_requests', 'model_max_budget'] as const;

/** A body's member list (one member or a list), checked as LiteLLM's `Member`: user_id or user_email, role admin|user. */
export function membersOf(value: unknown, param = 'member'): Member[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((item: unknown) => {
    const member = (item !== null && typeof item === 'object' ? item : {}) as Record<string, unknown>;
    const userId = typeof member.user_id === 'string' && member.user_id !== '' ? member.user_id : typeof member.user_email === 'string' && member.user_email !== '' ? member.user_email : null;
    if (userId === null) throw badRequest('each member needs user_id or user_email', param);
    const role = member.role ?? 'user';
    if (role !== 'admin' && role !== 'user') throw badRequest('a member\'s role must be "admin" or "user"', param);
    return { user_id: userId, role, user_email: typeof member.user_email === 'string' ? member.user_email : null };
  });
}

export function rolesOf(team: Row): Member[] {
  return Array.isArray(team.members_with_roles) ? (team.members_with_roles as Member[]) : [];
}

function metadataOf(row: Row): Record<string, unknown> {
  return row.metadata !== null && typeof row.metadata === 'object' && !Array.isArray(row.metadata) ? (row.metadata as Record<string, unknown>) : {};
}

/** `metadata.team_member_budget_id`: the budget members without their own fall back to. */
export function teamDefaultBudgetId(team: Row): string | null {
  const id = metadataOf(team).team_member_budget_id;
  return typeof id === 'string' && id !== '' ? id : null;
}

/** The body's values for `fields` (request name → column), checked: limits are non-negative numbers or null. */
function budgetPatch(body: Row, fields: Readonly<Record<string, string>>): Row {
  const patch: Row = {};
  for (const [name, column] of Object.entries(fields)) {
    const value = body[name];
    if (value === undefined) continue;
    if (column === 'budget_duration') {
      Object.assign(patch, value === null ? { budget_reset_at: null } : budgetFields({ budget_duration: value }, new Date()));
      patch.budget_duration = value;
      continue;
    }
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) throw badRequest(`${name} must be a non-negative number`, name);
    patch[column] = value;
  }
  return patch;
}

async function createBudget(ctx: ManagementContext, values: Row): Promise<string> {
  const budgetId = randomUUID();
  const now = new Date();
  await ctx.repo.insert(BUDGET_TABLE, { ...values, budget_id: budgetId, created_at: now, updated_at: now, created_by: ctx.caller, updated_by: ctx.caller });
  await ctx.changed('budget', budgetId);
  return budgetId;
}

async function updateBudget(ctx: ManagementContext, budgetId: string, patch: Row): Promise<void> {
  await ctx.repo.update('budget', budgetId, { ...patch, updated_at: new Date(), updated_by: ctx.caller });
  await ctx.changed('budget', budgetId);
}

/**
 * `/team/new` and `/team/update` with `team_member_budget` / `team_member_rpm_limit` / `team_member_tpm_limit`:
 * creates or updates the team's default member budget (its period is the team's `budget_duration`, as in LiteLLM)
 * and returns the metadata to store, with `team_member_budget_id`. Null when the body sets none of them.
 */
export async function teamDefaultBudget(ctx: ManagementContext, body: Row, existing: Row | null): Promise<Record<string, unknown> | null> {
  const patch = budgetPatch(body, TEAM_DEFAULT_FIELDS);
  if (Object.keys(patch).length === 0) return null;
  const metadata = { ...(existing === null ? {} : metadataOf(existing)), ...metadataOf(body) };
  const current = existing === null ? null : teamDefaultBudgetId(existing);
  if (current !== null && (await ctx.repo.get('budget', current)) !== null) {
    await updateBudget(ctx, current, patch);
    metadata.team_member_budget_id = current;
  } else {
    const duration = body.budget_duration ?? existing?.budget_duration;
    metadata.team_member_budget_id = await createBudget(ctx, { ...patch, ...(typeof duration === 'string' ? { budget_duration: duration, ...budgetFields({ budget_duration: duration }, new Date()) } : {}) });
  }
  return metadata;
}

/** LiteLLM_TeamMembership as LiteLLM returns it: with its budget row (`litellm_budget_table`). */
export async function membershipView(ctx: ManagementContext, row: Row): Promise<Row> {
  const budgetId = typeof row.budget_id === 'string' ? row.budget_id : null;
  const budget = budgetId === null ? null : await ctx.repo.get('budget', budgetId);
  return { user_id: row.user_id, team_id: row.team_id, budget_id: budgetId, spend: row.spend ?? 0, litellm_budget_table: budget === null ? null : present(budget) };
}

export async function teamMemberships(ctx: ManagementContext, teamId: string): Promise<Row[]> {
  const rows = await ctx.repo.all(TEAM_MEMBERSHIP, { column: 'team_id', value: teamId });
  return Promise.all(rows.map((row) => membershipView(ctx, row)));
}

/**
 * Adds members to the team row and each user's `teams` (creating users that do not exist yet), and gives each a
 * membership row: its own budget when `max_budget_in_team` is given, else the team's default member budget.
 * Unlike LiteLLM, a member without any budget gets a row too, so the spend of every member is tracked.
 */
export async function addMembers(ctx: ManagementContext, team: Row, members: Member[], maxBudgetInTeam: number | null): Promise<{ users: Row[]; memberships: Row[] }> {
  const teamId = String(team.team_id);
  const withRoles = rolesOf(team);
  const users: Row[] = [];
  const memberships: Row[] = [];
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
    users.push(present((await ctx.repo.get('user', member.user_id)) ?? {}));
    const budgetId = maxBudgetInTeam === null ? teamDefaultBudgetId(team) : await createBudget(ctx, { max_budget: maxBudgetInTeam });
    await ctx.repo.upsertMembership(teamId, member.user_id, budgetId);
    await ctx.changed('team_member', memberId(teamId, member.user_id));
    const row = await ctx.repo.membership(teamId, member.user_id);
    if (row !== null) memberships.push(await membershipView(ctx, row));
  }
  const admins = withRoles.filter((member) => member.role === 'admin').map((member) => member.user_id);
  await ctx.repo.update('team', teamId, { members_with_roles: withRoles, admins, members: withRoles.map((member) => member.user_id), updated_at: new Date() });
  return { users, memberships };
}

export function isMember(team: Row, userId: string): boolean {
  return rolesOf(team).some((member) => member.user_id === userId);
}

/**
 * member_add's effect, shared by `/team/member_add`, `/team/bulk_member_add` and `/user/new` with `teams`: adds the
 * members, announces the team change and answers as LiteLLM's TeamAddMemberResponse (the team row with
 * `updated_users` and `updated_team_memberships`). Callers have already refused members who are in the team.
 */
export async function addToTeam(ctx: ManagementContext, team: Row, members: Member[], maxBudget: number | null): Promise<Row> {
  const teamId = String(team.team_id);
  const added = await addMembers(ctx, team, members, maxBudget);
  await ctx.changed('team', teamId);
  return { ...present((await ctx.repo.get('team', teamId)) ?? team), updated_users: added.users, updated_team_memberships: added.memberships };
}

export function maxBudgetInTeam(body: Row): number | null {
  const value = body.max_budget_in_team;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw badRequest('max_budget_in_team must be a non-negative number', 'max_budget_in_team');
  return value;
}

/** LiteLLM answers an unknown team with 404 on member_add and 400 on member_update / member_delete. */
export async function teamFor(ctx: ManagementContext, status: 400 | 404): Promise<Row> {
  const teamId = stringField(ctx.body, 'team_id');
  if (teamId === null) throw badRequest('No team id passed in', 'team_id');
  const team = await ctx.repo.get('team', teamId);
  if (team !== null) return team;
  throw status === 404 ? notFoundError(`Team not found for team_id=${teamId}`) : badRequest(`Team id=${teamId} does not exist in db`, 'team_id');
}

const memberAdd: ManagementRoute = async (ctx) => {
  const team = await teamFor(ctx, 404);
  const members = membersOf(ctx.body.member);
  const budget = maxBudgetInTeam(ctx.body);
  for (const member of members) {
    if (isMember(team, member.user_id)) throw badRequest(`User=${member.user_id} already in team. Existing members=${JSON.stringify(rolesOf(team))}`, 'member');
  }
  return addToTeam(ctx, team, members, budget);
};

/** The member the body names (by user_id, or by user_email in `members_with_roles`). */
function memberOfBody(ctx: ManagementContext, team: Row): Member {
  const userId = stringField(ctx.body, 'user_id');
  const email = stringField(ctx.body, 'user_email');
  if (userId === null && email === null) throw badRequest('Either user_id or user_email needs to be passed in', 'user_id');
  const found = rolesOf(team).find((member) => (userId !== null ? member.user_id === userId : member.user_email === email));
  if (found === undefined) throw badRequest(`User id doesn't exist in team table. Data=${JSON.stringify({ team_id: team.team_id, user_id: userId, user_email: email })}`, 'user_id');
  return found;
}

function limitsSomething(budget: Row): boolean {
  return LIMIT_COLUMNS.some((column) => budget[column] !== undefined && budget[column] !== null && !(typeof budget[column] === 'object' && Object.keys(budget[column] as object).length === 0));
}

/**
 * Merges the body's member limits into the member's own budget (created from the team default when the member has
 * none, so editing one member never changes the shared default); a budget left limiting nothing is unlinked.
 */
async function applyMemberBudget(ctx: ManagementContext, team: Row, userId: string, patch: Row): Promise<void> {
  const teamId = String(team.team_id);
  const membership = await ctx.repo.membership(teamId, userId);
  const own = typeof membership?.budget_id === 'string' ? membership.budget_id : null;
  const fallback = teamDefaultBudgetId(team);
  let budgetId: string | null;
  let merged: Row;
  if (own !== null && own !== fallback && (await ctx.repo.get('budget', own)) !== null) {
    await updateBudget(ctx, own, patch);
    budgetId = own;
    merged = (await ctx.repo.get('budget', own)) ?? {};
  } else {
    const base = own ?? fallback;
    const template = base === null ? null : await ctx.repo.get('budget', base);
    merged = { max_budget: template?.max_budget ?? null, rpm_limit: template?.rpm_limit ?? null, tpm_limit: template?.tpm_limit ?? null, budget_duration: template?.budget_duration ?? null, budget_reset_at: template?.budget_reset_at ?? null, ...patch };
    budgetId = limitsSomething(merged) ? await createBudget(ctx, merged) : own;
  }
  if (!limitsSomething(merged)) budgetId = null;
  await ctx.repo.upsertMembership(teamId, userId, budgetId);
  await ctx.changed('team_member', memberId(teamId, userId));
}

const memberUpdate: ManagementRoute = async (ctx) => {
  const team = await teamFor(ctx, 400);
  const teamId = String(team.team_id);
  const member = memberOfBody(ctx, team);
  const role = ctx.body.role;
  if (role !== undefined && role !== null && role !== 'admin' && role !== 'user') throw badRequest('role must be "admin" or "user"', 'role');
  const patch = budgetPatch(ctx.body, MEMBER_BUDGET_FIELDS);
  if (Object.keys(patch).length > 0) await applyMemberBudget(ctx, team, member.user_id, patch);
  if (typeof role === 'string') {
    const withRoles = rolesOf(team).map((known) => (known.user_id === member.user_id ? { ...known, role, user_email: stringField(ctx.body, 'user_email') ?? known.user_email ?? null } : known));
    await ctx.repo.update('team', teamId, { members_with_roles: withRoles, admins: withRoles.filter((known) => known.role === 'admin').map((known) => known.user_id), updated_at: new Date() });
    await ctx.changed('team', teamId);
  }
  const body = ctx.body;
  return { team_id: teamId, user_id: member.user_id, user_email: body.user_email ?? null, max_budget_in_team: body.max_budget_in_team ?? null, tpm_limit: body.tpm_limit ?? null, rpm_limit: body.rpm_limit ?? null };
};

/** Undoes addMembers for one user: the team's member lists, the user's `teams`, the membership row. */
export async function removeMember(ctx: ManagementContext, team: Row, userId: string): Promise<void> {
  const teamId = String(team.team_id);
  const withRoles = rolesOf(team).filter((known) => known.user_id !== userId);
  await ctx.repo.update('team', teamId, { members_with_roles: withRoles, members: withRoles.map((known) => known.user_id), admins: withRoles.filter((m) => m.role === 'admin').map((m) => m.user_id), updated_at: new Date() });
  const user = await ctx.repo.get('user', userId);
  if (user !== null) {
    await ctx.repo.update('user', userId, { teams: (Array.isArray(user.teams) ? (user.teams as string[]) : []).filter((id) => id !== teamId), updated_at: new Date() });
    await ctx.changed('user', userId);
  }
  for (const removed of await ctx.repo.removeMemberships(teamId, [userId])) await ctx.changed('team_member', memberId(teamId, removed));
  await ctx.changed('team', teamId);
}

const memberDelete: ManagementRoute = async (ctx) => {
  const team = await teamFor(ctx, 400);
  await removeMember(ctx, team, memberOfBody(ctx, team).user_id);
  return present((await ctx.repo.get('team', String(team.team_id)))!);
};

export const TEAM_MEMBER_ROUTES: ReadonlyArray<[string, 'GET' | 'POST', ManagementRoute]> = [
  ['/team/member_add', 'POST', memberAdd],
  ['/team/member_update', 'POST', memberUpdate],
  ['/team/member_delete', 'POST', memberDelete],
];
