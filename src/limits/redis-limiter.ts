// Rate limits shared by every worker and instance: one Lua call checks and reserves all of a request's counters
// atomically (one round trip), so `rpm_limit: 10` means 10 per minute in total.
import type { Redis } from 'ioredis';
import { ioredis } from '../core/optional-modules.js';
import { GatewayError } from '../core/errors.js';
import { logger } from '../logging/logger.js';
import { WINDOW_MS } from './usage-window.js';
import type { RedisTarget } from './redis-options.js';

/** One counted scope: a key, a key's model, a team, a user or an end user. */
export interface LimitScope {
  name: string;
  id: string;
  rpm: number | null;
  tpm: number | null;
  parallel: number | null;
}

/** KEYS: 3 per scope (rpm, tpm, in-flight). ARGV: [count, rpm, tpm, parallel …]; -1 = no limit. Returns {scope, kind}. */
const RESERVE = `
local n = tonumber(ARGV[1])
for i = 0, n - 1 do
  local rpm = tonumber(ARGV[2 + i * 3]); local tpm = tonumber(ARGV[3 + i * 3]); local par = tonumber(ARGV[4 + i * 3])
  if par >= 0 and tonumber(redis.call('GET', KEYS[3 + i * 3]) or '0') >= par then return {i + 1, 3} end
  if rpm >= 0 and tonumber(redis.call('GET', KEYS[1 + i * 3]) or '0') >= rpm then return {i + 1, 1} end
  if tpm >= 0 and tonumber(redis.call('GET', KEYS[2 + i * 3]) or '0') >= tpm then return {i + 1, 2} end
end
for i = 0, n - 1 do
  redis.call('INCR', KEYS[1 + i * 3]); redis.call('PEXPIRE', KEYS[1 + i * 3], 120000)
  if tonumber(ARGV[4 + i * 3]) >= 0 then redis.call('INCR', KEYS[3 + i * 3]); redis.call('PEXPIRE', KEYS[3 + i * 3], 600000) end
end
return {0, 0}`;

const KINDS = ['', 'requests', 'tokens', 'max_parallel_requests'] as const;

export interface Reservation {
  readonly scopes: readonly LimitScope[];
  readonly window: number;
}

export class RedisLimiter {
  readonly redis: Redis;
  private readonly prefix: string;
  private lastWarning = 0;

  constructor(target: RedisTarget, prefix = 'sluice:limits:') {
    const { Redis } = ioredis();
    this.redis = target.url === null ? new Redis(target.options) : new Redis(target.url, target.options);
    this.redis.on('error', (error) => this.warn(error));
    this.redis.defineCommand('sluiceReserve', { lua: RESERVE });
    this.prefix = prefix;
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    logger.warn({ err: error }, 'redis limiter unavailable; counting limits locally');
  }

  private keys(scope: LimitScope, window: number): [string, string, string] {
    const base = `${this.prefix}${scope.name}:${scope.id}`;
    return [`${base}:rpm:${window}`, `${base}:tpm:${window}`, `${base}:par`];
  }

  /** The error to answer, null when reserved, or undefined when Redis could not answer (decide locally). */
  async reserve(scopes: readonly LimitScope[], now: number): Promise<{ error: GatewayError | null; reservation: Reservation } | undefined> {
    const window = Math.floor(now / WINDOW_MS);
    const keys: string[] = [];
    const args: number[] = [scopes.length];
    for (const scope of scopes) {
      keys.push(...this.keys(scope, window));
      args.push(scope.rpm ?? -1, scope.tpm ?? -1, scope.parallel ?? -1);
    }
    let result: [number, number];
    try {
      result = (await (this.redis as unknown as { sluiceReserve(n: number, ...rest: Array<string | number>): Promise<[number, number]> }).sluiceReserve(keys.length, ...keys, ...args));
    } catch (error) {
      this.warn(error);
      return undefined;
    }
    const reservation = { scopes, window };
    if (result[0] === 0) return { error: null, reservation };
    const scope = scopes[result[0] - 1]!;
    const kind = KINDS[result[1]]!;
    const limit = kind === 'requests' ? scope.rpm : kind === 'tokens' ? scope.tpm : scope.parallel;
    const resetsAt = (window + 1) * WINDOW_MS;
    return {
      reservation,
      error: new GatewayError({
        reason: 'rate_limited',
        status: 429,
        message: `Rate limit exceeded for ${scope.name}: ${scope.id}. Limit type: ${kind}. Current limit: ${limit}, Remaining: 0. Limit resets at: ${new Date(resetsAt).toISOString()}`,
        headers: { 'retry-after': String(Math.max(1, Math.ceil((resetsAt - now) / 1000))) },
      }),
    };
  }

  /** After the response: free the parallel slots and charge the tokens (fire and forget, one pipeline). */
  release(reservation: Reservation, tokens: number): void {
    const pipeline = this.redis.pipeline();
    for (const scope of reservation.scopes) {
      const [, tpmKey, parKey] = this.keys(scope, reservation.window);
      if (scope.parallel !== null) pipeline.decr(parKey);
      if (scope.tpm !== null && tokens > 0) pipeline.incrby(tpmKey, tokens).pexpire(tpmKey, 120_000);
    }
    pipeline.exec().catch((error: unknown) => this.warn(error));
  }

  /** QUIT when connected; a Redis that is away is disconnected at once (else it would keep reconnecting). */
  close(): Promise<void> {
    if (this.redis.status !== 'ready') {
      this.redis.disconnect();
      return Promise.resolve();
    }
    return this.redis.quit().then(() => undefined, () => undefined);
  }
}
