// The vectors of one semantic-cache bucket (same model group, parameters and tenant scope) in one ANN index, with
// the cache key and expiry of each: what the HNSW graph cannot hold itself.
import type { AnnIndex } from './ann-library.js';

export interface SemanticMatch {
  key: string;
  /** Cosine similarity, −1…1. */
  score: number;
}

interface Slot {
  key: string;
  label: number;
  /** Epoch ms; Infinity when the entry has no TTL. */
  expiresAt: number;
}


/** Squared norm; a zero vector has no direction, so it can match nothing and is never indexed. */
export function squaredNorm(vector: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < vector.length; index++) sum += vector[index]! * vector[index]!;
  return sum;
}

export class VectorBucket {
  readonly dimensions: number;
  private readonly index: AnnIndex;
  /**
   * Neighbours asked for per search. usearch widens its search to at least this many candidates, so it is also the
   * search's breadth: larger finds more of the true matches in big buckets and costs proportionally more.
   */
  private readonly searchWidth: number;
  /** Cache key → slot, oldest first (Map insertion order), so eviction takes the first. */
  private readonly byKey = new Map<string, Slot>();
  private readonly byLabel = new Map<number, Slot>();
  /** Labels only grow, so a label always names one entry, whatever was removed before. */
  private nextLabel = 1;
  /** The Redis sequence number of this bucket that this process has read up to (semantic-index.ts). */
  seenSeq = 0;

  constructor(index: AnnIndex, dimensions: number, searchWidth: number) {
    this.index = index;
    this.dimensions = dimensions;
    this.searchWidth = Math.max(1, searchWidth);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Slots the native index has room for before it grows (it doubles when full). */
  capacity(): number {
    return this.index.capacity();
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** Indexes `vector` under `key` (replacing an earlier vector of that key); returns the change in entry count. */
  add(key: string, vector: Float32Array, expiresAt: number): number {
    const replaced = this.remove(key) ? 1 : 0;
    const slot: Slot = { key, label: this.nextLabel++, expiresAt };
    // One thread: a single insert gains nothing from more, and usearch would otherwise size work for every core.
    this.index.add(BigInt(slot.label), vector, 1);
    this.byKey.set(key, slot);
    this.byLabel.set(slot.label, slot);
    return 1 - replaced;
  }

  remove(key: string): boolean {
    const slot = this.byKey.get(key);
    if (slot === undefined) return false;
    this.drop(slot);
    return true;
  }

  /** Removes the oldest entry (capacity eviction); false when empty. */
  removeOldest(): boolean {
    const first = this.byKey.values().next();
    if (first.done === true) return false;
    this.drop(first.value);
    return true;
  }

  /** Removes every entry whose TTL has passed; returns how many. */
  removeExpired(now: number): number {
    let removed = 0;
    for (const slot of this.byKey.values()) {
      if (slot.expiresAt > now) continue;
      this.drop(slot);
      removed++;
    }
    return removed;
  }

  /** The nearest live entry if its similarity is at least `threshold`; expired neighbours met on the way are removed. */
  search(vector: Float32Array, threshold: number, now: number): SemanticMatch | null {
    if (this.byKey.size === 0) return null;
    const matches = this.index.search(vector, Math.min(this.searchWidth, this.byKey.size), 1);
    for (let index = 0; index < matches.keys.length; index++) {
      const slot = this.byLabel.get(Number(matches.keys[index]!));
      if (slot === undefined) continue;
      if (slot.expiresAt <= now) {
        this.drop(slot);
        continue;
      }
      // Results come nearest first: if the nearest live one is below the threshold, so is every other.
      const score = 1 - matches.distances[index]!;
      return score >= threshold ? { key: slot.key, score } : null;
    }
    return null;
  }

  private drop(slot: Slot): void {
    this.byKey.delete(slot.key);
    this.byLabel.delete(slot.label);
    // usearch marks the node deleted and hands its slot to the next insert, so capacity is reused, not leaked.
    this.index.remove(BigInt(slot.label));
  }
}
