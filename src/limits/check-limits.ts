// Rate-limit and budget decisions for one entity, from memory; each returns the contract's error or null.
import { GatewayError } from '../core/errors.js';
import type { Entity } from '../auth/entities.js';
import { addDuration } from './duration.js';
import type { UsageWindow } from './usage-window.js';

const SCOPE_NAMES = { key: 'api_key', team: 'team', user: 'user', end_user: 'end_user', team_member: 'team_member' } as const;

function rateLimited(scope: string, id: string, type: string, limit: number, window: UsageWindow, now: number): GatewayError {
  const resetsAt = window.resetsAt();
  const retryAfter = Math.max(1, Math.ceil((resetsAt - now) / 1000));
  return new GatewayError({
    reason: 'rate_limited',
    status: 429,
    message: `Rate limit exceeded for ${scope}: ${id}. Limit type: ${type}. Current limit: ${limit}, Remaining: 0. Limit resets at: ${new Date(resetsAt).toISOString()}`,
    headers: { 'retry-after': String(retryAfter), 'x-ratelimit-reset': String(Math.ceil(resetsAt / 1000)) },
  });
}

/** rpm/tpm/parallel for one window; `scopeId` is what the message names (never a raw key). */
export function checkWindow(window: UsageWindow, rpm: number | null, tpm: number | null, parallel: number | null, scope: string, scopeId: string, now: number): GatewayError | null {
  window.roll(now);
  if (parallel !== null && window.inFlight >= parallel) return rateLimited(scope, scopeId, 'max_parallel_requests', parallel, window, now);
  if (rpm !== null && window.requests >= rpm) return rateLimited(scope, scopeId, 'requests', rpm, window, now);
  if (tpm !== null && window.tokens >= tpm) return rateLimited(scope, scopeId, 'tokens', tpm, window, now);
  return null;
}

export function checkEntityLimits(entity: Entity, displayId: string, now: number): GatewayError | null {
  if (entity.rpmLimit === null && entity.tpmLimit === null && entity.parallelLimit === null) return null;
  return checkWindow(entity.usage, entity.rpmLimit, entity.tpmLimit, entity.parallelLimit, SCOPE_NAMES[entity.kind], displayId, now);
}

export function budgetExceeded(spend: number, maxBudget: number): GatewayError {
  return new GatewayError({ reason: 'budget_exceeded', status: 400, message: `Budget has been exceeded! Current cost: ${spend}, Max budget: ${maxBudget}` });
}

/** Resets the budget when its period is over (the database row is reset by the batch writer); true if it reset. */
export function rollBudget(entity: Entity, now: number): boolean {
  if (now < entity.budgetResetAt || entity.budgetDuration === null) return false;
  entity.spend = 0;
  entity.budgetResetAt = addDuration(now, entity.budgetDuration);
  return true;
}

export function checkBudget(entity: Entity): GatewayError | null {
  const max = entity.maxBudget;
  if (max === null || entity.spend < max) return null;
  return budgetExceeded(entity.spend, max);
}
