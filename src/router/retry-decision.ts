// How many retries a failure gets (retry_policy, per group, per request) and how long to wait before one.
import type { GatewayError } from '../core/errors.js';
import { errorClassOf } from './error-class.js';
import type { RouterSettings } from './router-settings.js';

/** LiteLLM's backoff when a retry must wait and the provider gave no retry-after: 0.5 s doubling, capped at 8 s. */
const INITIAL_RETRY_DELAY_MS = 500;
const MAX_BACKOFF_MS = 8_000;

/** Retries allowed for this error: a policy entry for its class wins; otherwise retryable errors get `numRetries`. */
export function retriesFor(error: GatewayError, group: string, numRetries: number, settings: RouterSettings): number {
  const key = `${errorClassOf(error)}Retries`;
  const fromPolicy = settings.groupRetryPolicy[group]?.[key] ?? settings.retryPolicy[key];
  if (fromPolicy !== undefined) return fromPolicy;
  if (error.reason === 'no_deployments' || error.reason === 'context_window_exceeded' || error.reason === 'content_policy_violation') return 0;
  return error.retryable ? numRetries : 0;
}

/** Seconds from a `retry-after` header (delta-seconds or HTTP date); null when absent or unreadable. */
export function retryAfterMs(error: GatewayError, nowMs: number): number | null {
  const value = error.headers?.['retry-after'];
  if (value === undefined) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/**
 * The wait before retry number `retry` (1-based). No wait while another deployment can take the request
 * (LiteLLM retries at once then); otherwise the provider's retry-after, else exponential backoff,
 * never below `router_settings.retry_after` nor above the cap.
 */
export function retryDelayMs(error: GatewayError, retry: number, othersAvailable: boolean, settings: RouterSettings, random: () => number): number {
  if (othersAvailable) return settings.minRetryAfterMs;
  const hinted = retryAfterMs(error, Date.now());
  const backoff = Math.min(MAX_BACKOFF_MS, INITIAL_RETRY_DELAY_MS * 2 ** (retry - 1)) * (0.75 + random() * 0.25);
  const wait = Math.max(settings.minRetryAfterMs, hinted ?? backoff);
  return Math.min(wait, settings.maxRetryWaitMs);
}

function anyPositive(record: Readonly<Record<string, number>>): boolean {
  for (const key in record) if (record[key]! > 0) return true;
  return false;
}

/**
 * Whether any request without its own `num_retries` / `fallbacks` could get a second attempt under these settings
 * (an upload is only kept for replay when one could).
 */
export function secondAttemptPossible(settings: RouterSettings): boolean {
  if (settings.numRetries > 0 || anyPositive(settings.retryPolicy)) return true;
  for (const group in settings.groupRetryPolicy) if (anyPositive(settings.groupRetryPolicy[group]!)) return true;
  return settings.fallbacks.size > 0 || settings.contextWindowFallbacks.size > 0 || settings.contentPolicyFallbacks.size > 0 || settings.defaultFallbacks.length > 0;
}
