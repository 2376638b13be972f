// `router_settings` resolved once into plain numbers and maps, with LiteLLM's documented defaults.
import type { ProxyConfig } from '../config/schema.js';

export interface RouterSettings {
  strategyName: string;
  strategyArgs: Readonly<Record<string, unknown>>;
  /** Retries per request after the first attempt (LiteLLM default 2). */
  numRetries: number;
  /** `retry_policy`: retries per error class, overriding numRetries. */
  retryPolicy: Readonly<Record<string, number>>;
  /** `model_group_retry_policy`: per group, per error class. */
  groupRetryPolicy: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** `retry_after`: minimum wait (ms) before a retry that has to wait. */
  minRetryAfterMs: number;
  /** Longest single wait before a retry, whatever the provider's retry-after says. */
  maxRetryWaitMs: number;
  allowedFails: number;
  allowedFailsPolicy: Readonly<Record<string, number>>;
  cooldownMs: number;
  disableCooldowns: boolean;
  fallbacks: ReadonlyMap<string, readonly string[]>;
  contextWindowFallbacks: ReadonlyMap<string, readonly string[]>;
  contentPolicyFallbacks: ReadonlyMap<string, readonly string[]>;
  defaultFallbacks: readonly string[];
  maxFallbacks: number;
  preCallChecks: boolean;
  tagFiltering: boolean;
}

export const DEFAULT_NUM_RETRIES = 2;
export const DEFAULT_ALLOWED_FAILS = 3;
export const DEFAULT_COOLDOWN_SECONDS = 5;
export const DEFAULT_MAX_FALLBACKS = 5;
export const MAX_RETRY_WAIT_MS = 60_000;

type FallbackList = ReadonlyArray<Readonly<Record<string, string | readonly string[]>>> | undefined;

/** `[{a: [b, c]}, {"*": [d]}]` → Map a → [b, c], * → [d]; later entries for the same key are appended. */
export function compileFallbacks(...lists: FallbackList[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const list of lists) {
    for (const entry of list ?? []) {
      for (const [from, to] of Object.entries(entry)) {
        const targets = typeof to === 'string' ? [to] : [...to];
        const existing = map.get(from);
        if (existing === undefined) map.set(from, targets);
        else for (const target of targets) if (!existing.includes(target)) existing.push(target);
      }
    }
  }
  return map;
}

function numberRecord(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, entry] of Object.entries(value)) if (typeof entry === 'number') out[key] = entry;
  return out;
}

export function resolveRouterSettings(config: Readonly<ProxyConfig>): RouterSettings {
  const router = config.router_settings;
  const litellm = config.litellm_settings;
  const groupPolicy: Record<string, Record<string, number>> = {};
  const rawGroupPolicy = router.model_group_retry_policy;
  if (typeof rawGroupPolicy === 'object' && rawGroupPolicy !== null) {
    for (const [group, policy] of Object.entries(rawGroupPolicy)) groupPolicy[group] = numberRecord(policy);
  }
  return {
    strategyName: router.routing_strategy ?? 'simple-shuffle',
    strategyArgs: router.routing_strategy_args ?? {},
    numRetries: router.num_retries ?? litellm.num_retries ?? DEFAULT_NUM_RETRIES,
    retryPolicy: numberRecord(router.retry_policy),
    groupRetryPolicy: groupPolicy,
    minRetryAfterMs: (router.retry_after ?? 0) * 1000,
    maxRetryWaitMs: MAX_RETRY_WAIT_MS,
    allowedFails: router.allowed_fails ?? DEFAULT_ALLOWED_FAILS,
    allowedFailsPolicy: numberRecord(router.allowed_fails_policy),
    cooldownMs: (router.cooldown_time ?? DEFAULT_COOLDOWN_SECONDS) * 1000,
    disableCooldowns: router.disable_cooldowns === true,
    fallbacks: compileFallbacks(router.fallbacks, litellm.fallbacks),
    contextWindowFallbacks: compileFallbacks(router.context_window_fallbacks, litellm.context_window_fallbacks),
    contentPolicyFallbacks: compileFallbacks(router.content_policy_fallbacks, litellm.content_policy_fallbacks),
    defaultFallbacks: router.default_fallbacks ?? litellm.default_fallbacks ?? [],
    maxFallbacks: router.max_fallbacks ?? DEFAULT_MAX_FALLBACKS,
    preCallChecks: router.enable_pre_call_checks === true,
    tagFiltering: router.enable_tag_filtering === true,
  };
}
