// In-memory store: a Map kept in LRU order, bounded by bytes, with per-entry expiry. Synchronous on purpose.
import type { CachedEntry, ResponseCacheStore } from './cache-store.js';

interface Slot {
  entry: CachedEntry;
  /** `Date.now()` ms after which the slot is dead; Infinity for no expiry. */
  expiresAt: number;
  bytes: number;
}

/** Rough per-entry overhead (key, slot, Map node) so many tiny entries still count. */
const SLOT_OVERHEAD_BYTES = 96;

export class LocalStore implements ResponseCacheStore {
  readonly kind = 'local' as const;
  private readonly slots = new Map<string, Slot>();
  private readonly maxBytes: number;
  private bytes = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get size(): number {
    return this.slots.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  get(key: string): CachedEntry | null {
    const slot = this.slots.get(key);
    if (slot === undefined) return null;
    if (slot.expiresAt <= Date.now()) {
      this.remove(key, slot);
      return null;
    }
    // Re-insert to mark it most recently used (Map iterates in insertion order).
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.entry;
  }

  getMany(keys: readonly string[]): Array<CachedEntry | null> {
    const out: Array<CachedEntry | null> = [];
    for (const key of keys) out.push(this.get(key));
    return out;
  }

  set(key: string, entry: CachedEntry, ttlSeconds: number | null): void {
    const bytes = (key.length + entry.response.length) * 2 + SLOT_OVERHEAD_BYTES;
    if (bytes > this.maxBytes) return;
    const old = this.slots.get(key);
    if (old !== undefined) this.remove(key, old);
    const expiresAt = ttlSeconds === null ? Infinity : Date.now() + ttlSeconds * 1000;
    this.slots.set(key, { entry, expiresAt, bytes });
    this.bytes += bytes;
    while (this.bytes > this.maxBytes) {
      const oldest = this.slots.keys().next();
      if (oldest.done === true) break;
      this.remove(oldest.value, this.slots.get(oldest.value)!);
    }
  }

  private remove(key: string, slot: Slot): void {
    this.slots.delete(key);
    this.bytes -= slot.bytes;
  }

  delete(keys: readonly string[]): Promise<number> {
    let removed = 0;
    for (const key of keys) {
      const slot = this.slots.get(key);
      if (slot === undefined) continue;
      this.remove(key, slot);
      removed++;
    }
    return Promise.resolve(removed);
  }

  flush(): Promise<void> {
    this.slots.clear();
    this.bytes = 0;
    return Promise.resolve();
  }

  ping(): Promise<boolean> {
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    return this.flush();
  }
}
