// File and batch ownership in the governance database (Sluice_OwnedObject), shared by every worker and instance.
// Each call is one statement on the primary key or the owner index, made only by the files and batches routes. On
// SQLite it runs on the process's connection (better-sqlite3 is synchronous): a read never waits (WAL), a single-row
// write may wait for the write lock while another process or the spend thread commits.
import type { Compilable } from 'kysely';
import type { OwnedKind, OwnedObject, OwnershipStore } from '../surface/ownership-store.js';
import { decodeRow, encodeRow } from './codec.js';
import type { Database, Row } from './database.js';
import { OWNED_OBJECTS } from './tables.js';

const TABLE = OWNED_OBJECTS.name;
/** Ids per `IN (…)` list, well under SQLite's and Postgres' bound-parameter limits. */
const IN_CHUNK = 500;

function objectOf(row: Row): OwnedObject {
  const decoded = decodeRow(OWNED_OBJECTS, row);
  return {
    kind: decoded.kind as OwnedKind,
    id: decoded.object_id as string,
    owner: decoded.owner as string,
    deploymentId: decoded.deployment_id as string,
    createdAt: (decoded.created_at as Date).getTime(),
  };
}

export class OwnedObjectsTable implements OwnershipStore {
  private readonly database: Database;
  private readonly unrecorded: unknown;
  private readonly recorded: unknown;

  constructor(database: Database) {
    this.database = database;
    this.unrecorded = encodeRow(OWNED_OBJECTS, { usage_recorded: false }, database.dialect).usage_recorded;
    this.recorded = encodeRow(OWNED_OBJECTS, { usage_recorded: true }, database.dialect).usage_recorded;
  }

  async put(object: OwnedObject): Promise<void> {
    const values = encodeRow(OWNED_OBJECTS, {
      kind: object.kind, object_id: object.id, owner: object.owner, deployment_id: object.deploymentId, created_at: new Date(object.createdAt), usage_recorded: false,
    }, this.database.dialect);
    await this.write(this.database.db.insertInto(TABLE).values(values).onConflict((conflict) => conflict.columns(['kind', 'object_id']).doNothing()));
  }

  async get(kind: OwnedKind, id: string): Promise<OwnedObject | undefined> {
    const row = await this.database.db.selectFrom(TABLE).selectAll().where('kind', '=', kind).where('object_id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : objectOf(row);
  }

  async delete(kind: OwnedKind, id: string): Promise<void> {
    await this.write(this.database.db.deleteFrom(TABLE).where('kind', '=', kind).where('object_id', '=', id));
  }

  async ownedAmong(kind: OwnedKind, owner: string, ids: readonly string[]): Promise<ReadonlySet<string>> {
    const owned = new Set<string>();
    for (let start = 0; start < ids.length; start += IN_CHUNK) {
      const rows = await this.database.db.selectFrom(TABLE).select('object_id').where('kind', '=', kind).where('owner', '=', owner)
        .where('object_id', 'in', ids.slice(start, start + IN_CHUNK)).execute();
      for (const row of rows) owned.add(row.object_id as string);
    }
    return owned;
  }

  async claimUsage(batchId: string): Promise<boolean> {
    const query = this.database.db.updateTable(TABLE).set({ usage_recorded: this.recorded }).where('kind', '=', 'batch').where('object_id', '=', batchId)
      .where('usage_recorded', '=', this.unrecorded);
    return (await this.write(query)) === 1;
  }

  /** Runs one write statement; resolves with the rows it changed. */
  private async write(query: Compilable): Promise<number> {
    const result = (await this.database.db.executeQuery(query.compile())) as { numAffectedRows?: bigint };
    return Number(result.numAffectedRows ?? 0);
  }
}
