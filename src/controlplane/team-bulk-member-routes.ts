// `/team/bulk_member_add`: LiteLLM's bulk form of `/team/member_add` (its BulkTeamMemberAddRequest/Response), on
// member_add's own path, with a result per member.
import type { Row } from '../store/database.js';
import { USER_TABLE } from '../store/tables.js';
import { badRequest, type ManagementContext, type ManagementRoute } from './management-context.js';
import { addToTeam, isMember, maxBudgetInTeam, membersOf, teamFor, type Member } from './team-member-routes.js';

/** LiteLLM's MAX_BATCH_SIZE for this route. */
const MAX_MEMBERS = 500;

/** One entry of `results`: LiteLLM's TeamMemberAddResult. `user_id`/`user_email` are as the request named them. */
interface MemberResult {
  user_id: string | null;
  user_email: string | null;
  success: boolean;
  error: string | null;
  updated_user: Row | null;
  updated_team_membership: Row | null;
}

/** The members the body asks for: `members`, or every user on the proxy (`all_users`, as LiteLLM: newest first). */
async function requestedMembers(ctx: ManagementContext): Promise<{ named: Row[]; members: Member[] }> {
  const { all_users: allUsers, members } = ctx.body;
  if (allUsers !== undefined && allUsers !== null && typeof allUsers !== 'boolean') throw badRequest('all_users must be a boolean', 'all_users');
  if (members !== undefined && members !== null && !Array.isArray(members)) throw badRequest('members must be a list of {user_id?, user_email?, role?}', 'members');
  let named: Row[];
  if (allUsers === true) {
    const users = await ctx.repo.columns(USER_TABLE, ['user_id', 'user_email', 'created_at']);
    users.sort((a, b) => (b.created_at instanceof Date ? b.created_at.getTime() : 0) - (a.created_at instanceof Date ? a.created_at.getTime() : 0));
    named = users.map((user) => ({ user_id: user.user_id, user_email: user.user_email ?? null, role: 'user' }));
  } else {
    named = (members ?? []) as Row[];
  }
  if (named.length === 0) throw badRequest('At least one member is required', 'members');
  if (named.length > MAX_MEMBERS) throw badRequest(`Maximum ${MAX_MEMBERS} members can be added at once`, 'members');
  return { named, members: membersOf(named, 'members') };
}

function result(named: Row, fields: Pick<MemberResult, 'success' | 'error' | 'updated_user' | 'updated_team_membership'>): MemberResult {
  return { user_id: typeof named.user_id === 'string' ? named.user_id : null, user_email: typeof named.user_email === 'string' ? named.user_email : null, ...fields };
}

/**
 * Validates the whole request first (400 for a bad field, then 404 for an unknown team, as member_add). Then, unlike
 * LiteLLM, which fails every member when one is refused, each member stands alone: one already in the team, or named
 * twice, is a failed result and the others are added. `updated_team` is member_add's answer, null when none was added.
 */
const bulkMemberAdd: ManagementRoute = async (ctx) => {
  const budget = maxBudgetInTeam(ctx.body);
  const { named, members } = await requestedMembers(ctx);
  const team = await teamFor(ctx, 404);
  const refusals = new Map<number, string>();
  const seen = new Set<string>();
  const toAdd: Member[] = [];
  members.forEach((member, index) => {
    if (isMember(team, member.user_id)) refusals.set(index, `User=${member.user_id} already in team=${String(team.team_id)}`);
    else if (seen.has(member.user_id)) refusals.set(index, `User=${member.user_id} is named more than once in this request`);
    else toAdd.push(member);
    seen.add(member.user_id);
  });
  const updated = toAdd.length === 0 ? null : await addToTeam(ctx, team, toAdd, budget);
  const users = new Map(((updated?.updated_users ?? []) as Row[]).map((user) => [String(user.user_id), user]));
  const memberships = new Map(((updated?.updated_team_memberships ?? []) as Row[]).map((row) => [String(row.user_id), row]));
  const results = members.map((member, index) => {
    const refused = refusals.get(index);
    return refused !== undefined
      ? result(named[index]!, { success: false, error: refused, updated_user: null, updated_team_membership: null })
      : result(named[index]!, { success: true, error: null, updated_user: users.get(member.user_id) ?? null, updated_team_membership: memberships.get(member.user_id) ?? null });
  });
  return { team_id: team.team_id, results, total_requested: members.length, successful_additions: toAdd.length, failed_additions: refusals.size, updated_team: updated };
};

export const TEAM_BULK_MEMBER_ROUTES: ReadonlyArray<[string, 'GET' | 'POST', ManagementRoute]> = [['/team/bulk_member_add', 'POST', bulkMemberAdd]];
