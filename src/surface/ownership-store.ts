// Who owns each uploaded file and batch, so one gateway key cannot read, cancel or delete another key's objects.
// Without a database the map lives in this process (InMemoryOwnershipStore). With governance it is a table every worker
// and instance shares (src/store/owned-objects-table.ts) behind a cache (CachedOwnershipStore). Every call is
// asynchronous, and only the files and batches routes make them: chat never touches ownership.

export type OwnedKind = 'file' | 'batch';

export interface OwnedObject {
  readonly kind: OwnedKind;
  /** The provider's id (`file-…`, `batch_…`). */
  readonly id: string;
  /** SHA-256 hex of the presented gateway key, or `default` when no key is configured. */
  readonly owner: string;
  /** The deployment the object lives on; later calls for it go there. */
  readonly deploymentId: string;
  /** Unix ms. */
  readonly createdAt: number;
}

/** The interface the surface routes use; swap the implementation, keep the calls. */
export interface OwnershipStore {
  /** Records a new object; an id already recorded keeps its first owner. */
  put(object: OwnedObject): Promise<void>;
  get(kind: OwnedKind, id: string): Promise<OwnedObject | undefined>;
  delete(kind: OwnedKind, id: string): Promise<void>;
  /** Of `ids` (one page of a provider's list answer), those `owner` holds. */
  ownedAmong(kind: OwnedKind, owner: string, ids: readonly string[]): Promise<ReadonlySet<string>>;
  /** Marks a completed batch's usage as reported: true for exactly one caller, so spend is never counted twice. */
  claimUsage(batchId: string): Promise<boolean>;
}

export class InMemoryOwnershipStore implements OwnershipStore {
  private readonly objects = new Map<string, OwnedObject>();
  private readonly usageClaimed = new Set<string>();

  put(object: OwnedObject): Promise<void> {
    const key = `${object.kind}:${object.id}`;
    if (!this.objects.has(key)) this.objects.set(key, object);
    return Promise.resolve();
  }

  get(kind: OwnedKind, id: string): Promise<OwnedObject | undefined> {
    return Promise.resolve(this.objects.get(`${kind}:${id}`));
  }

  delete(kind: OwnedKind, id: string): Promise<void> {
    this.objects.delete(`${kind}:${id}`);
    return Promise.resolve();
  }

  ownedAmong(kind: OwnedKind, owner: string, ids: readonly string[]): Promise<ReadonlySet<string>> {
    const owned = new Set<string>();
    for (const id of ids) if (this.objects.get(`${kind}:${id}`)?.owner === owner) owned.add(id);
    return Promise.resolve(owned);
  }

  claimUsage(batchId: string): Promise<boolean> {
    if (this.usageClaimed.has(batchId)) return Promise.resolve(false);
    this.usageClaimed.add(batchId);
    return Promise.resolve(true);
  }
}
