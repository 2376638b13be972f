// `teams` on `/user/new` (LiteLLM's `teams: [team_id, …] | [{team_id, max_budget_in_team, user_role}]`): the new user
// joins each team through member_add's path, all teams checked before anything is written.
import { logger } from '../logging/logger.js';
import type { Row } from '../store/database.js';
import { badRequest, type ManagementContext } from './management-context.js';
import { addToTeam, removeMember } from './team-member-routes.js';

/** One team the new user joins: LiteLLM's NewUserRequestTeam. */
export interface TeamToJoin {
  team: Row;
  role: 'admin' | 'user';
  maxBudgetInTeam: number | null;
}

const SHAPE = 'teams must be a list of team ids or of {team_id, max_budget_in_team?, user_role?}';

function entryOf(item: unknown, index: number): { teamId: string; role: 'admin' | 'user'; maxBudgetInTeam: number | null } {
  if (typeof item === 'string' && item !== '') return { teamId: item, role: 'user', maxBudgetInTeam: null };
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw badRequest(SHAPE, 'teams');
  const entry = item as Record<string, unknown>;
  if (typeof entry.team_id !== 'string' || entry.team_id === '') throw badRequest(`teams[${index}].team_id is required`, 'teams');
  const role = entry.user_role ?? 'user';
  if (role !== 'admin' && role !== 'user') throw badRequest(`teams[${index}].user_role must be "admin" or "user"`, 'teams');
  const budget = entry.max_budget_in_team ?? null;
  if (budget !== null && (typeof budget !== 'number' || !Number.isFinite(budget) || budget < 0)) throw badRequest(`teams[${index}].max_budget_in_team must be a non-negative number`, 'teams');
  return { teamId: entry.team_id, role, maxBudgetInTeam: budget };
}

/**
 * The body's `teams`, checked and looked up before the user is created: a bad entry, a team named twice or a team
 * that does not exist is a 400 (`param: "teams"`) and nothing is written. LiteLLM creates the user and then skips
 * the teams it cannot join; answering 400 instead keeps a typo from leaving a user outside the teams it was meant for.
 */
export async function teamsToJoin(ctx: ManagementContext, value: unknown): Promise<TeamToJoin[]> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest(SHAPE, 'teams');
  const entries = value.map(entryOf);
  const out: TeamToJoin[] = [];
  const seen = new Set<string>();
  for (const { teamId, role, maxBudgetInTeam } of entries) {
    if (seen.has(teamId)) throw badRequest(`Team ${teamId} is listed more than once in teams`, 'teams');
    seen.add(teamId);
    const team = await ctx.repo.get('team', teamId);
    if (team === null) throw badRequest(`Team not found for team_id=${teamId} (in teams); the user was not created.`, 'teams');
    out.push({ team, role, maxBudgetInTeam });
  }
  return out;
}

/**
 * Adds the (just created) user to each team as `/team/member_add` would. Should one fail (a team deleted meanwhile,
 * the database going away), the memberships already made and the user are removed again before the error is
 * returned, so a failed `/user/new` leaves no half-created user behind.
 */
export async function joinTeams(ctx: ManagementContext, userId: string, email: string | null, teams: readonly TeamToJoin[]): Promise<void> {
  const joined: Row[] = [];
  try {
    for (const { team, role, maxBudgetInTeam } of teams) {
      const current = await ctx.repo.get('team', String(team.team_id));
      if (current === null) throw badRequest(`Team not found for team_id=${String(team.team_id)} (in teams); the user was not created.`, 'teams');
      joined.push(current);
      await addToTeam(ctx, current, [{ user_id: userId, role, user_email: email }], maxBudgetInTeam);
    }
  } catch (error) {
    await undoJoin(ctx, userId, joined).catch((undoError: unknown) => logger.error({ err: undoError, userId }, '/user/new: could not remove the half-created user'));
    throw error;
  }
}

async function undoJoin(ctx: ManagementContext, userId: string, joined: readonly Row[]): Promise<void> {
  for (const team of joined) {
    const current = await ctx.repo.get('team', String(team.team_id));
    if (current !== null) await removeMember(ctx, current, userId);
  }
  await ctx.repo.remove('user', [userId]);
  await ctx.changed('user', userId);
}
