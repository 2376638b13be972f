// What a non-admin (virtual key) session may read through the management API: only its own key, team, user and
// spend. The query is rewritten so the route itself can only return that key's rows; everything else is refused.
import type { GovernanceState } from '../../auth/governance-state.js';

export type ScopedCall = { query: URLSearchParams } | { ownKeyList: true } | { refused: string };

/** Read routes a key session may call, and how its own identity is forced into the query. */
export function scopeKeyCall(method: string, path: string, query: URLSearchParams, token: string, state: GovernanceState): ScopedCall {
  if (method !== 'GET' && method !== 'HEAD') return { refused: 'Only an admin may change keys, teams, users or budgets.' };
  const key = state.keys.get(token);
  if (key === undefined) return { refused: 'This key no longer exists.' };
  switch (path) {
    case '/key/info':
      query.set('key', token);
      return { query };
    case '/key/list':
      return { ownKeyList: true };
    case '/team/info':
      if (key.teamId === null) return { refused: 'This key belongs to no team.' };
      query.set('team_id', key.teamId);
      return { query };
    case '/user/info':
      if (key.userId === null) return { refused: 'This key belongs to no user.' };
      query.set('user_id', key.userId);
      return { query };
    case '/spend/logs':
    case '/spend/logs/ui':
    case '/user/daily/activity':
      query.set('api_key', token);
      return { query };
    default:
      return { refused: 'Only an admin may call this route.' };
  }
}
