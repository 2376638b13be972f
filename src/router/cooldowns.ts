// LiteLLM's cooldown rule: which failures take a deployment out of every pick, and for how long.
import type { GatewayError } from '../core/errors.js';
import type { DeploymentState } from './deployment-state.js';
import { errorClassOf } from './error-class.js';
import type { RouterSettings } from './router-settings.js';

/** Statuses that cool a deployment at once: rate limited, bad key, wrong model or URL, timed out. */
function coolsImmediately(status: number): boolean {
  return status === 429 || status === 401 || status === 404 || status === 408;
}

/**
 * Counts the failure and says whether the deployment should now cool down.
 * Other 4xx are the caller's fault and never cool a deployment; 5xx and connection errors cool it once
 * the failures this minute exceed `allowed_fails` (or the class's `allowed_fails_policy` entry).
 */
export function shouldCooldown(state: DeploymentState, error: GatewayError, settings: RouterSettings, groupSize: number): boolean {
  state.failuresThisMinute++;
  const errorClass = errorClassOf(error);
  const classCount = (state.classFailures.get(errorClass) ?? 0) + 1;
  state.classFailures.set(errorClass, classCount);
  // LiteLLM never cools the only deployment of a group: there would be nothing left to route to.
  if (settings.disableCooldowns || groupSize <= 1) return false;
  const status = error.reason === 'timeout' ? 408 : error.status;
  const policy = settings.allowedFailsPolicy[`${errorClass}AllowedFails`];
  if (policy !== undefined) return classCount > policy;
  if (coolsImmediately(status)) return true;
  if (status >= 400 && status < 500) return false;
  return state.failuresThisMinute > settings.allowedFails;
}
