// Who owns each uploaded file and batch, so one gateway key cannot read, cancel or delete another key's objects.
// In memory by default; a persistence hook lets a database layer keep the map across restarts without the data
// plane ever awaiting it (writes are fire-and-forget, reads come from memory).

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
  /** Batches: the completed batch's usage has been reported to observers once (spend is never counted twice). */
  readonly usageRecorded?: boolean;
}

/** The interface the data plane uses; swap the implementation, keep the calls. */
export interface OwnershipStore {
  put(object: OwnedObject): void;
  get(kind: OwnedKind, id: string): OwnedObject | undefined;
  delete(kind: OwnedKind, id: string): void;
  /** Ids the owner holds of one kind, for filtering list answers. */
  idsOf(kind: OwnedKind, owner: string): ReadonlySet<string>;
}

/** Where a database layer plugs in: told about every change, never awaited on the request path. */
export interface OwnershipPersistence {
  saved(object: OwnedObject): void;
  deleted(kind: OwnedKind, id: string): void;
}

const NO_IDS: ReadonlySet<string> = new Set();

export class InMemoryOwnershipStore implements OwnershipStore {
  private readonly objects = new Map<string, OwnedObject>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly persistence: OwnershipPersistence | null;

  /** `initial`: objects loaded at start-up (e.g. from a database) before the first request. */
  constructor(persistence: OwnershipPersistence | null = null, initial: readonly OwnedObject[] = []) {
    this.persistence = persistence;
    for (const object of initial) this.index(object);
  }

  put(object: OwnedObject): void {
    this.index(object);
    this.persistence?.saved(object);
  }

  get(kind: OwnedKind, id: string): OwnedObject | undefined {
    return this.objects.get(`${kind}:${id}`);
  }

  delete(kind: OwnedKind, id: string): void {
    const key = `${kind}:${id}`;
    const object = this.objects.get(key);
    if (object === undefined) return;
    this.objects.delete(key);
    this.byOwner.get(`${kind}:${object.owner}`)?.delete(id);
    this.persistence?.deleted(kind, id);
  }

  idsOf(kind: OwnedKind, owner: string): ReadonlySet<string> {
    return this.byOwner.get(`${kind}:${owner}`) ?? NO_IDS;
  }

  private index(object: OwnedObject): void {
    this.objects.set(`${object.kind}:${object.id}`, object);
    const ownerKey = `${object.kind}:${object.owner}`;
    let ids = this.byOwner.get(ownerKey);
    if (ids === undefined) {
      ids = new Set();
      this.byOwner.set(ownerKey, ids);
    }
    ids.add(object.id);
  }
}
