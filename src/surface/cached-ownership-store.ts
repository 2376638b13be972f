// A shared ownership store (a database table) behind a bounded in-memory cache. An object's owner and deployment never
// change once recorded, so cached entries stay right; a miss asks the shared store, so an object created through
// another worker or instance is found. Writes are awaited (the next call may land on another worker) but a failed
// write never fails the client's call: it is kept in the cache and retried in the background until it lands.
import { GatewayError } from '../core/errors.js';
import { logger } from '../logging/logger.js';
import type { OwnedKind, OwnedObject, OwnershipStore } from './ownership-store.js';

const DEFAULT_CAPACITY = 10_000;
const RETRY_INTERVAL_MS = 2_000;
/** Writes waiting for the database beyond this are dropped, loudly (the objects stay known to this process). */
const MAX_PENDING_WRITES = 10_000;

function unavailable(cause: unknown): GatewayError {
  return new GatewayError({ reason: 'unavailable', status: 503, message: 'The file and batch ownership store is unavailable; try again shortly.', cause });
}

export class CachedOwnershipStore implements OwnershipStore {
  private readonly shared: OwnershipStore;
  private readonly capacity: number;
  /** Insertion order is recency: a hit is re-inserted, the oldest entry goes first. */
  private readonly cache = new Map<string, OwnedObject>();
  private readonly pending = new Map<string, OwnedObject>();
  /** Batches whose usage this process counted while the shared store was away (at most once per process then). */
  private readonly localClaims = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(shared: OwnershipStore, capacity = DEFAULT_CAPACITY) {
    this.shared = shared;
    this.capacity = capacity;
  }

  async put(object: OwnedObject): Promise<void> {
    const key = `${object.kind}:${object.id}`;
    if (this.cache.has(key)) return;
    this.remember(key, object);
    try {
      await this.shared.put(object);
    } catch (error) {
      logger.warn({ err: error, kind: object.kind, id: object.id }, 'ownership not written; retrying in the background');
      this.retryLater(key, object);
    }
  }

  async get(kind: OwnedKind, id: string): Promise<OwnedObject | undefined> {
    const key = `${kind}:${id}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    let found: OwnedObject | undefined;
    try {
      found = await this.shared.get(kind, id);
    } catch (error) {
      throw unavailable(error);
    }
    if (found !== undefined) this.remember(key, found);
    return found;
  }

  async delete(kind: OwnedKind, id: string): Promise<void> {
    const key = `${kind}:${id}`;
    this.cache.delete(key);
    this.pending.delete(key);
    try {
      await this.shared.delete(kind, id);
    } catch (error) {
      // The provider already deleted the object: a row left behind only points at nothing.
      logger.warn({ err: error, kind, id }, 'ownership row not deleted');
    }
  }

  async ownedAmong(kind: OwnedKind, owner: string, ids: readonly string[]): Promise<ReadonlySet<string>> {
    try {
      return await this.shared.ownedAmong(kind, owner, ids);
    } catch (error) {
      throw unavailable(error);
    }
  }

  async claimUsage(batchId: string): Promise<boolean> {
    try {
      return await this.shared.claimUsage(batchId);
    } catch (error) {
      // Counting once per process beats never counting: another worker may count it too while the store is away.
      logger.warn({ err: error, batchId }, 'batch usage claim not shared; counted by this process');
      if (this.localClaims.has(batchId)) return false;
      this.localClaims.add(batchId);
      return true;
    }
  }

  /** Stops the background retry (pending writes are tried once more first). */
  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private remember(key: string, object: OwnedObject): void {
    this.cache.set(key, object);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
  }

  private retryLater(key: string, object: OwnedObject): void {
    if (this.pending.size >= MAX_PENDING_WRITES) {
      logger.error({ kind: object.kind, id: object.id }, 'too many ownership writes waiting for the database; this one is only known to this process');
      return;
    }
    this.pending.set(key, object);
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.flush(), RETRY_INTERVAL_MS);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    for (const [key, object] of [...this.pending]) {
      try {
        await this.shared.put(object);
        this.pending.delete(key);
      } catch {
        return;
      }
    }
    if (this.pending.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
