// Where shared counters live: REDIS_URL, REDIS_HOST/PORT/PASSWORD, router_settings.redis_*, or a redis cache_params.
import type { RedisOptions } from 'ioredis';
import type { ProxyConfig } from '../config/schema.js';

export interface RedisTarget {
  url: string | null;
  options: RedisOptions;
}

/** Null when no Redis is configured (limits then count per process). */
export function resolveRedis(config: ProxyConfig, env: NodeJS.ProcessEnv): RedisTarget | null {
  // Fail fast rather than queue: a request waits for the limiter at most this long before local counters decide.
  // A decision that times out is made locally, so a Redis that is merely slow can let a few extra requests through.
  const timeoutMs = Number(env.SLUICE_REDIS_LIMIT_TIMEOUT_MS ?? 250);
  const base: RedisOptions = { commandTimeout: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 250, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false, connectTimeout: 2_000 };
  const router = config.router_settings;
  const url = env.REDIS_URL ?? router.redis_url ?? null;
  if (url !== null && url !== '') return { url, options: base };
  const cache = config.litellm_settings.cache_params ?? config.general_settings.cache_params;
  const host = env.REDIS_HOST ?? router.redis_host ?? (cache?.type === 'redis' ? cache.host : undefined);
  if (host === undefined || host === '') return null;
  const port = Number(env.REDIS_PORT ?? router.redis_port ?? cache?.port ?? 6379);
  const password = env.REDIS_PASSWORD ?? router.redis_password ?? cache?.password;
  return { url: null, options: { ...base, host, port, ...(password === undefined ? {} : { password }) } };
}
