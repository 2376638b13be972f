// Vectors of cached prompts in one ANN (HNSW) index per bucket (same params and tenant scope), bounded in entries and
// buckets across the process, expired entries removed. With Redis, each instance also indexes what the others add
// (shared-vectors.ts), so a prompt answered by one gateway is found by all.
import type { Redis } from 'ioredis';
import { cacheStats } from '../cache-stats.js';
import { logCacheFailure } from '../fail-open-log.js';
import { ANN_EXPANSION_SEARCH, type AnnIndexFactory } from './ann-library.js';
import { SharedVectors } from './shared-vectors.js';
import { squaredNorm, VectorBucket, type SemanticMatch } from './vector-bucket.js';

export type { SemanticMatch };

export interface SemanticIndexOptions {
  createIndex: AnnIndexFactory;
  /** Vectors held in this process across all buckets; past it the least recently used bucket's oldest goes. */
  maxEntries: number;
  /** Buckets held; past it the least recently used one is dropped whole. */
  maxBuckets?: number;
  /** Candidates per search (HNSW breadth; default ANN_EXPANSION_SEARCH): more finds more in big buckets, slower. */
  searchWidth?: number;
  /** Clock in epoch ms (tests move it). */
  now?: () => number;
}

export interface SemanticIndexStats {
  buckets: number;
  entries: number;
  /** Sum of the native indexes' capacities (slots allocated). */
  capacity: number;
}

export const DEFAULT_MAX_BUCKETS = 1_000;
/** How often expired entries are removed from every bucket (searches also drop the expired neighbours they meet). */
const SWEEP_INTERVAL_MS = 30_000;

export class SemanticIndex {
  /** Least recently used first (Map insertion order; a use moves the bucket to the end). */
  private readonly buckets = new Map<string, VectorBucket>();
  private entries = 0;
  private readonly shared: SharedVectors | null;
  private readonly createIndex: AnnIndexFactory;
  private readonly maxEntries: number;
  private readonly maxBuckets: number;
  private readonly searchWidth: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(redis: Redis | null, namespace: string | null, options: SemanticIndexOptions) {
    this.shared = redis === null ? null : new SharedVectors(redis, namespace);
    this.createIndex = options.createIndex;
    this.maxEntries = Math.max(1, options.maxEntries);
    this.maxBuckets = Math.max(1, options.maxBuckets ?? DEFAULT_MAX_BUCKETS);
    this.searchWidth = Math.max(1, options.searchWidth ?? ANN_EXPANSION_SEARCH);
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(sweepIndex, SWEEP_INTERVAL_MS, this);
    this.sweeper.unref();
  }

  /** The best match at or above `threshold` among this process's and (if shared) every instance's vectors. */
  async search(name: string, vector: Float32Array, threshold: number): Promise<SemanticMatch | null> {
    if (squaredNorm(vector) === 0) return null;
    // Without Redis there is nothing to catch up on, so an unknown bucket stays uncreated.
    let bucket = this.use(name, vector.length, this.shared !== null);
    if (bucket === null) return null;
    if (this.shared !== null) {
      try {
        await this.catchUp(name, bucket, this.shared);
      } catch (error) {
        cacheStats.errors++;
        logCacheFailure('semantic-search', error);
      }
      // Other requests ran meanwhile and may have dropped or replaced the bucket.
      const current = this.buckets.get(name);
      if (current === undefined || current.dimensions !== vector.length) return null;
      bucket = current;
    }
    const before = bucket.size;
    const match = bucket.search(vector, threshold, this.now());
    this.entries -= before - bucket.size;
    return match;
  }

  /** Indexes the vector of a stored answer and, with Redis, shares it. */
  add(name: string, key: string, vector: Float32Array, ttlSeconds: number | null): void {
    if (squaredNorm(vector) === 0) return;
    const expiresAt = ttlSeconds === null ? Infinity : this.now() + ttlSeconds * 1000;
    // Not `this.entries += this.use(…).add(…)`: `use` may change the count, and `+=` would read it before.
    const bucket = this.use(name, vector.length, true)!;
    this.entries += bucket.add(key, vector, expiresAt);
    this.enforceBound();
    if (this.shared !== null) this.shared.append(name, key, vector, ttlSeconds, expiresAt).catch(onAddFailed);
  }

  /** Removes an entry the store no longer has (evicted or deleted), so it is not matched again. */
  forget(name: string, key: string): void {
    const bucket = this.buckets.get(name);
    if (bucket !== undefined && bucket.remove(key)) this.entries--;
  }

  /** Removes every expired entry and the buckets left empty; returns how many entries went. */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    for (const [name, bucket] of this.buckets) {
      removed += bucket.removeExpired(now);
      if (bucket.size === 0) this.buckets.delete(name);
    }
    this.entries -= removed;
    return removed;
  }

  stats(): SemanticIndexStats {
    let capacity = 0;
    for (const bucket of this.buckets.values()) capacity += bucket.capacity();
    return { buckets: this.buckets.size, entries: this.entries, capacity };
  }

  clear(): void {
    this.buckets.clear();
    this.entries = 0;
  }

  close(): void {
    clearInterval(this.sweeper);
    this.clear();
  }

  /** Bucket `name` as the most recently used; with `create`, new (or renewed, if the embedding size changed) when needed. */
  private use(name: string, dimensions: number, create: boolean): VectorBucket | null {
    let bucket = this.buckets.get(name);
    if (bucket !== undefined) {
      this.buckets.delete(name);
      if (bucket.dimensions !== dimensions) {
        this.entries -= bucket.size;
        bucket = undefined;
      }
    }
    if (bucket === undefined) {
      if (!create) return null;
      if (this.buckets.size >= this.maxBuckets) this.dropLeastRecent();
      bucket = new VectorBucket(this.createIndex(dimensions), dimensions, this.searchWidth);
    }
    this.buckets.set(name, bucket);
    return bucket;
  }

  private dropLeastRecent(): void {
    const first = this.buckets.entries().next();
    if (first.done === true) return;
    this.buckets.delete(first.value[0]);
    // Its native memory is released when V8 collects the index object.
    this.entries -= first.value[1].size;
  }

  /** Past the entry bound, the oldest entries of the least recently used buckets go first. */
  private enforceBound(): void {
    while (this.entries > this.maxEntries) {
      const first = this.buckets.entries().next();
      if (first.done === true) return;
      const [name, bucket] = first.value;
      if (bucket.removeOldest()) this.entries--;
      if (bucket.size === 0) this.buckets.delete(name);
    }
  }

  /** Indexes what other instances added to bucket `name` since this process last looked (a chunk per call). */
  private async catchUp(name: string, bucket: VectorBucket, shared: SharedVectors): Promise<void> {
    const read = await shared.read(name, bucket.seenSeq);
    if (this.buckets.get(name) !== bucket) return;
    const now = this.now();
    for (const item of read.vectors) {
      if (item.vector.length !== bucket.dimensions || item.expiresAt <= now || bucket.has(item.key) || squaredNorm(item.vector) === 0) continue;
      this.entries += bucket.add(item.key, item.vector, item.expiresAt);
    }
    bucket.seenSeq = read.seen;
    this.enforceBound();
  }
}

function sweepIndex(index: SemanticIndex): void {
  index.sweep();
}

function onAddFailed(error: unknown): void {
  cacheStats.errors++;
  logCacheFailure('semantic-add', error);
}
