// Reads and writes of governance rows, typed through the codec, shared by the key cache and the management API.
import { randomUUID } from 'node:crypto';
import type { Database, Row } from './database.js';
import { decodeRow, encodeRow } from './codec.js';
import { BUDGET_TABLE, CHANGE_LOG, END_USER_TABLE, TEAM_TABLE, USER_TABLE, VERIFICATION_TOKEN, type TableDef } from './tables.js';

export type ChangeKind = 'key' | 'team' | 'user' | 'end_user' | 'budget';

export const TABLE_OF: Readonly<Record<ChangeKind, { table: TableDef; id: string }>> = {
  key: { table: VERIFICATION_TOKEN, id: 'token' },
  team: { table: TEAM_TABLE, id: 'team_id' },
  user: { table: USER_TABLE, id: 'user_id' },
  end_user: { table: END_USER_TABLE, id: 'user_id' },
  budget: { table: BUDGET_TABLE, id: 'budget_id' },
};

export class Repository {
  readonly database: Database;

  constructor(database: Database) {
    this.database = database;
  }

  async all(table: TableDef, where?: { column: string; value: unknown }): Promise<Row[]> {
    let query = this.database.db.selectFrom(table.name).selectAll();
    if (where !== undefined) query = query.where(where.column, '=', where.value);
    const rows = await query.execute();
    return rows.map((row) => decodeRow(table, row));
  }

  /** Only the given columns: loading 100,000 keys should not decode JSON columns nobody reads. */
  async columns(table: TableDef, columns: readonly string[]): Promise<Row[]> {
    const rows = await this.database.db.selectFrom(table.name).select(columns as string[]).execute();
    return rows.map((row) => decodeRow(table, row));
  }

  async get(kind: ChangeKind, id: string): Promise<Row | null> {
    const { table, id: column } = TABLE_OF[kind];
    const row = await this.database.db.selectFrom(table.name).selectAll().where(column, '=', id).executeTakeFirst();
    return row === undefined ? null : decodeRow(table, row);
  }

  async insert(table: TableDef, values: Row): Promise<void> {
    await this.database.db.insertInto(table.name).values(encodeRow(table, values, this.database.dialect)).execute();
  }

  /** Updates the given fields; returns whether a row matched. */
  async update(kind: ChangeKind, id: string, values: Row): Promise<boolean> {
    const { table, id: column } = TABLE_OF[kind];
    const encoded = encodeRow(table, values, this.database.dialect);
    if (Object.keys(encoded).length === 0) return (await this.get(kind, id)) !== null;
    const result = await this.database.db.updateTable(table.name).set(encoded).where(column, '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async remove(kind: ChangeKind, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const { table, id: column } = TABLE_OF[kind];
    const result = await this.database.db.deleteFrom(table.name).where(column, 'in', ids).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Tells every instance (through the change log they poll) to reload this entity. */
  async recordChange(kind: ChangeKind, id: string): Promise<void> {
    await this.insert(CHANGE_LOG, { id: randomUUID(), kind, entity_id: id, created_at: new Date() });
  }

  /** The change log is only read for its last seconds; older rows are removed (by any instance, idempotently). */
  async pruneChanges(before: Date): Promise<void> {
    await this.database.db.deleteFrom(CHANGE_LOG.name).where('created_at', '<', encodeRow(CHANGE_LOG, { created_at: before }, this.database.dialect).created_at).execute();
  }

  async changesSince(since: Date): Promise<Row[]> {
    const since_ = encodeRow(CHANGE_LOG, { created_at: since }, this.database.dialect).created_at;
    const rows = await this.database.db.selectFrom(CHANGE_LOG.name).selectAll().where('created_at', '>=', since_).orderBy('created_at').limit(10_000).execute();
    return rows.map((row) => decodeRow(CHANGE_LOG, row));
  }
}
