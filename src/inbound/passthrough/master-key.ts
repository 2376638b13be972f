// Who may use provider pass-through: the master key only. A pass-through call names no model, so the per-key model
// access, budgets and limits a virtual key carries could not be enforced; such keys get a 401 here.
import { readApiKey, type SecretMatcher } from '../../auth/api-key.js';
import { authError } from '../../core/errors.js';
import { failRequest, type RequestContext } from '../../dataplane/request-context.js';

export function passThroughAllowed(ctx: RequestContext, masterKey: SecretMatcher): boolean {
  const key = readApiKey(ctx.req.headers);
  if (key === null) {
    failRequest(ctx, authError('Authentication Error, No api key passed in.'));
    return false;
  }
  if (!masterKey.matches(key)) {
    failRequest(ctx, authError('Authentication Error, provider pass-through routes take the master key only.'));
    return false;
  }
  return true;
}
