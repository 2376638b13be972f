// Vectors of cached prompts, per bucket (same params and tenant scope), searched by an exact cosine scan over a
// bounded set. Shared across instances through Redis: a list of vectors per bucket plus a sequence number, so each
// process downloads only the vectors added since its last look.
import type { Redis } from 'ioredis';
import { cacheStats } from '../cache-stats.js';
import { logCacheFailure } from '../fail-open-log.js';
import { cosine } from './cosine.js';

export interface SemanticMatch {
  key: string;
  score: number;
}

interface Bucket {
  /** Entry key → vector, oldest first (Map insertion order). */
  vectors: Map<string, Float32Array>;
  /** The bucket's Redis sequence number this process has caught up to. */
  seenSeq: number;
}

/** Per bucket, only the newest this many vectors are kept (in memory and in Redis). */
const MAX_PER_BUCKET = 1_000;
/** Buckets held in memory; the least recently used is dropped past this. */
const MAX_BUCKETS = 1_000;

function encodeVector(key: string, vector: Float32Array): string {
  return JSON.stringify({ k: key, v: Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64') });
}

function decodeVector(text: string): { key: string; vector: Float32Array } | null {
  try {
    const parsed = JSON.parse(text) as { k?: unknown; v?: unknown };
    if (typeof parsed.k !== 'string' || typeof parsed.v !== 'string') return null;
    const bytes = Buffer.from(parsed.v, 'base64');
    return { key: parsed.k, vector: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
  } catch {
    return null;
  }
}

function remember(bucket: Bucket, key: string, vector: Float32Array): void {
  bucket.vectors.delete(key);
  bucket.vectors.set(key, vector);
  if (bucket.vectors.size > MAX_PER_BUCKET) bucket.vectors.delete(bucket.vectors.keys().next().value!);
}

export class SemanticIndex {
  private readonly buckets = new Map<string, Bucket>();
  private readonly redis: Redis | null;
  private readonly prefix: string;

  constructor(redis: Redis | null, namespace: string | null) {
    this.redis = redis;
    this.prefix = namespace === null ? 'sluice-semantic:' : `${namespace}:sluice-semantic:`;
  }

  private bucket(name: string): Bucket {
    let bucket = this.buckets.get(name);
    if (bucket === undefined) {
      bucket = { vectors: new Map(), seenSeq: 0 };
      if (this.buckets.size >= MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
    } else {
      this.buckets.delete(name);
    }
    this.buckets.set(name, bucket);
    return bucket;
  }

  /** Pulls the vectors other instances added since this process last looked (one GET when nothing changed). */
  private async catchUp(name: string, bucket: Bucket): Promise<void> {
    const redis = this.redis!;
    const listKey = this.prefix + name;
    const seq = Number((await redis.get(`${listKey}:seq`)) ?? 0);
    if (seq === bucket.seenSeq) return;
    // A lower number means the bucket expired or was flushed and started again: reread it whole.
    const fresh = seq > bucket.seenSeq ? Math.min(seq - bucket.seenSeq, MAX_PER_BUCKET) : MAX_PER_BUCKET;
    const items = await redis.lrange(listKey, 0, fresh - 1);
    for (let index = items.length - 1; index >= 0; index--) {
      const decoded = decodeVector(items[index]!);
      if (decoded !== null) remember(bucket, decoded.key, decoded.vector);
    }
    bucket.seenSeq = seq;
  }

  /** The best match at or above `threshold` among this process's and (if shared) every instance's vectors. */
  async search(name: string, vector: Float32Array, threshold: number): Promise<SemanticMatch | null> {
    const bucket = this.bucket(name);
    if (this.redis !== null) {
      try {
        await this.catchUp(name, bucket);
      } catch (error) {
        cacheStats.errors++;
        logCacheFailure('semantic-search', error);
      }
    }
    let best: SemanticMatch | null = null;
    for (const [key, candidate] of bucket.vectors) {
      const score = cosine(vector, candidate);
      if (score >= threshold && (best === null || score > best.score)) best = { key, score };
    }
    return best;
  }

  add(name: string, key: string, vector: Float32Array, ttlSeconds: number | null): void {
    remember(this.bucket(name), key, vector);
    if (this.redis === null) return;
    const listKey = this.prefix + name;
    const pipeline = this.redis.multi().lpush(listKey, encodeVector(key, vector)).ltrim(listKey, 0, MAX_PER_BUCKET - 1).incr(`${listKey}:seq`);
    if (ttlSeconds !== null) {
      const seconds = Math.max(1, Math.ceil(ttlSeconds));
      pipeline.expire(listKey, seconds).expire(`${listKey}:seq`, seconds);
    }
    pipeline.exec().catch(onAddFailed);
  }

  clear(): void {
    this.buckets.clear();
  }
}

function onAddFailed(error: unknown): void {
  cacheStats.errors++;
  logCacheFailure('semantic-add', error);
}
