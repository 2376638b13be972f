// Redis store (ioredis): every call bounded by a short command timeout and failing open to a miss.
import type { Redis } from 'ioredis';
import { ioredis } from '../core/optional-modules.js';
import type { RedisConnection } from './cache-settings.js';
import { cacheStats } from './cache-stats.js';
import { decodeEntry, encodeEntry, type CachedEntry, type ResponseCacheStore } from './cache-store.js';
import { logCacheFailure } from './fail-open-log.js';

/** Keys LiteLLM writes without a namespace: bare SHA-256 hex. */
const BARE_KEY_PATTERN = '[0-9a-f]'.repeat(64);

export function createRedisClient(connection: RedisConnection, timeoutMs: number): Redis {
  const { Redis } = ioredis();
  const client = new Redis({
    host: connection.host,
    port: connection.port,
    password: connection.password ?? undefined,
    username: connection.username ?? undefined,
    db: connection.db,
    tls: connection.tls ? {} : undefined,
    // Fail fast instead of queueing while disconnected: the request goes upstream instead.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: 1_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  });
  client.on('error', onClientError);
  return client;
}

function onClientError(error: Error): void {
  logCacheFailure('connect', error);
}

export class RedisStore implements ResponseCacheStore {
  readonly kind = 'redis' as const;
  readonly client: Redis;
  private readonly namespace: string | null;

  constructor(client: Redis, namespace: string | null) {
    this.client = client;
    this.namespace = namespace;
  }

  async get(key: string): Promise<CachedEntry | null> {
    try {
      const text = await this.client.get(key);
      return text === null ? null : decodeEntry(text);
    } catch (error) {
      cacheStats.errors++;
      logCacheFailure('get', error);
      return null;
    }
  }

  async getMany(keys: readonly string[]): Promise<Array<CachedEntry | null>> {
    if (keys.length === 0) return [];
    try {
      const texts = await this.client.mget(...keys);
      return texts.map((text) => (text === null ? null : decodeEntry(text)));
    } catch (error) {
      cacheStats.errors++;
      logCacheFailure('mget', error);
      return keys.map(() => null);
    }
  }

  async set(key: string, entry: CachedEntry, ttlSeconds: number | null): Promise<void> {
    try {
      const text = encodeEntry(entry);
      if (ttlSeconds === null) await this.client.set(key, text);
      else await this.client.set(key, text, 'PX', Math.max(1, Math.round(ttlSeconds * 1000)));
    } catch (error) {
      cacheStats.errors++;
      logCacheFailure('set', error);
    }
  }

  async delete(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return this.client.del(...keys);
  }

  /** Deletes this namespace's keys (or, without one, only bare 64-hex keys), never FLUSHALL on a shared server. */
  async flush(): Promise<void> {
    const match = this.namespace === null ? BARE_KEY_PATTERN : `${this.namespace}:*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', match, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await this.client.del(...keys);
    } while (cursor !== '0');
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
