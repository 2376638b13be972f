// Shared routing state in Redis, for several instances: rpm leases by a Lua script, counters by one pipeline a tick.
import type { Redis } from 'ioredis';
import { ioredis } from '../../core/optional-modules.js';
import type { ProxyConfig } from '../../config/schema.js';
import type { SharedBackend } from './backend.js';
import type { SharedView, SyncReport } from './quota-book.js';

/** INCRBY the minute's counter by `want`, give back what goes over `limit`; returns the granted count. */
const LEASE_SCRIPT = `
local used = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], 120000)
local want = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
if used <= limit then return want end
local over = math.min(used - limit, want)
redis.call('DECRBY', KEYS[1], over)
return want - over`;

export interface RedisTarget {
  url: string | null;
  host: string;
  port: number;
  password: string | undefined;
  prefix: string;
}

export class RedisBackend implements SharedBackend {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(target: RedisTarget) {
    const options = { lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: (times: number) => Math.min(times * 200, 2_000) };
    const { Redis } = ioredis();
    this.redis = target.url !== null ? new Redis(target.url, options) : new Redis({ ...options, host: target.host, port: target.port, password: target.password });
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('sluiceLease', { numberOfKeys: 1, lua: LEASE_SCRIPT });
    this.prefix = target.prefix;
    void this.redis.connect().catch(() => undefined);
  }

  async lease(id: string, minute: number, want: number, limit: number): Promise<number> {
    const run = (this.redis as unknown as { sluiceLease(key: string, want: number, limit: number): Promise<number> }).sluiceLease;
    return Number(await run.call(this.redis, `${this.prefix}rpm:${minute}:${id}`, want, limit));
  }

  async sync(report: SyncReport, ids: readonly string[]): Promise<SharedView> {
    const p = this.prefix;
    const pipeline = this.redis.pipeline();
    for (const id in report.tokens) pipeline.incrby(`${p}tpm:${report.minute}:${id}`, report.tokens[id]!).pexpire(`${p}tpm:${report.minute}:${id}`, 120_000);
    for (const id in report.latency) {
      const [sum, count] = report.latency[id]!;
      pipeline.hincrbyfloat(`${p}lat:${report.minute}`, `${id}:s`, sum).hincrby(`${p}lat:${report.minute}`, `${id}:n`, count).pexpire(`${p}lat:${report.minute}`, 180_000);
    }
    for (const id in report.inFlight) pipeline.hincrby(`${p}inflight`, id, report.inFlight[id]!);
    const now = Date.now();
    for (const id in report.cooldowns) {
      const ms = report.cooldowns[id]! - now;
      if (ms > 0) pipeline.set(`${p}cooldown:${id}`, String(report.cooldowns[id]), 'PX', ms);
    }
    const first = (pipeline.length as number) ?? 0;
    if (ids.length > 0) {
      pipeline.mget(ids.map((id) => `${p}tpm:${report.minute}:${id}`));
      pipeline.hmget(`${p}inflight`, ...ids);
      pipeline.mget(ids.map((id) => `${p}cooldown:${id}`));
      const fields = ids.flatMap((id) => [`${id}:s`, `${id}:n`]);
      pipeline.hmget(`${p}lat:${report.minute}`, ...fields);
      pipeline.hmget(`${p}lat:${report.minute - 1}`, ...fields);
    }
    const results = (await pipeline.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
    const view: SharedView = { minute: report.minute, tokens: {}, inFlight: {}, cooldowns: {}, latency: {} };
    if (ids.length === 0) return view;
    const tokens = results[first]![1] as Array<string | null>;
    const inFlight = results[first + 1]![1] as Array<string | null>;
    const cooldowns = results[first + 2]![1] as Array<string | null>;
    const latencyNow = results[first + 3]![1] as Array<string | null>;
    const latencyBefore = results[first + 4]![1] as Array<string | null>;
    ids.forEach((id, index) => {
      view.tokens[id] = Number(tokens[index] ?? 0);
      view.inFlight[id] = Math.max(0, Number(inFlight[index] ?? 0));
      const until = Number(cooldowns[index] ?? 0);
      if (until > now) view.cooldowns[id] = until;
      const count = Number(latencyNow[index * 2 + 1] ?? 0) + Number(latencyBefore[index * 2 + 1] ?? 0);
      if (count > 0) view.latency[id] = (Number(latencyNow[index * 2] ?? 0) + Number(latencyBefore[index * 2] ?? 0)) / count;
    });
    return view;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/**
 * Redis settings from router_settings, then REDIS_URL / REDIS_HOST / REDIS_PORT / REDIS_PASSWORD, then a Redis
 * `cache_params` (litellm_settings or general_settings); null: none (CONTRACT.md "Install and run").
 */
export function redisTargetOf(config: Readonly<ProxyConfig>, env: NodeJS.ProcessEnv): RedisTarget | null {
  const router = config.router_settings;
  const cache = config.litellm_settings.cache_params ?? config.general_settings.cache_params;
  const fromCache = cache !== undefined && cache.type === 'redis' ? cache : undefined;
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined);
  const url = text(router.redis_url) ?? (text(router.redis_host) === undefined ? text(env.REDIS_URL) : undefined) ?? null;
  const host = text(router.redis_host) ?? text(env.REDIS_HOST) ?? text(fromCache?.host);
  if (url === null && host === undefined && fromCache === undefined) return null;
  const prefix = text(env.SLUICE_ROUTER_REDIS_PREFIX) ?? text(router.redis_key_prefix) ?? 'sluice:router:';
  const port = Number(text(router.redis_port) ?? text(env.REDIS_PORT) ?? text(fromCache?.port) ?? 6379);
  const password = text(router.redis_password) ?? text(env.REDIS_PASSWORD) ?? text(fromCache?.password);
  return { url, host: host ?? '127.0.0.1', port, password, prefix };
}
