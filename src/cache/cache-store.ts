// The one small interface every response store implements (local, Redis); all run one shared test suite.

import type { Usage } from '../core/usage.js';

/** One cached answer: the provider's JSON body text and when it was stored (epoch seconds, as LiteLLM). */
export interface CachedEntry {
  timestamp: number;
  response: string;
  /** The response's UTF-8 bytes, memoised by the first hit (in-memory entries are answered many times). */
  bytes?: Buffer;
  /** Its usage, memoised likewise (undefined: not read yet). */
  usage?: Usage | null;
}

export type MaybePromise<T> = T | Promise<T>;

export interface ResponseCacheStore {
  readonly kind: 'local' | 'redis';
  /** Null on a miss, an expired entry, or (Redis) any failure or timeout: the cache fails open. */
  get(key: string): MaybePromise<CachedEntry | null>;
  getMany(keys: readonly string[]): MaybePromise<Array<CachedEntry | null>>;
  /** Fire and forget from the caller's view; never throws. `ttlSeconds` null: no expiry. */
  set(key: string, entry: CachedEntry, ttlSeconds: number | null): MaybePromise<void>;
  /** Returns how many keys existed. */
  delete(keys: readonly string[]): Promise<number>;
  /** Removes this cache's entries (its namespace, or every cache-shaped key). */
  flush(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The stored form of an entry (LiteLLM stores `{timestamp, response}` too). */
export function encodeEntry(entry: CachedEntry): string {
  return `{"timestamp":${entry.timestamp},"response":${JSON.stringify(entry.response)}}`;
}

export function decodeEntry(text: string): CachedEntry | null {
  try {
    const parsed = JSON.parse(text) as { timestamp?: unknown; response?: unknown };
    if (typeof parsed.timestamp !== 'number') return null;
    const response = typeof parsed.response === 'string' ? parsed.response : JSON.stringify(parsed.response);
    return typeof response === 'string' ? { timestamp: parsed.timestamp, response } : null;
  } catch {
    return null;
  }
}
