// Reads and writes of governance rows, typed through the codec, shared by the key cache and the management API.
import { randomUUID } from 'node:crypto';
import type { Database, Row } from './database.js';
import { decodeRow, encodeRow } from './codec.js';
import { BUDGET_TABLE, CHANGE_LOG, END_USER_TABLE, TEAM_MEMBERSHIP, TEAM_TABLE, USER_TABLE, VERIFICATION_TOKEN, type TableDef } from './tables.js';

/** `team_member` ids are `memberId(team_id, user_id)`: the membership table's key has two columns. */
export type ChangeKind = 'key' | 'team' | 'user' | 'end_user' | 'budget' | 'team_member';

/** The change-log and spend id of one team membership: unambiguous whatever the ids contain. */
export function memberId(teamId: string, userId: string): string {
  return JSON.stringify([teamId, userId]);
}

/** The inverse of `memberId`; null for anything else. */
export function parseMemberId(id: string): { teamId: string; userId: string } | null {
  try {
    const parsed: unknown = JSON.parse(id);
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') return { teamId: parsed[0], userId: parsed[1] };
  } catch {
    // not a membership id
  }
  return null;
}

export const TABLE_OF: Readonly<Record<Exclude<ChangeKind, 'team_member'>, { table: TableDef; id: string }>> = {
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
    if (kind === 'team_member') {
      const parsed = parseMemberId(id);
      return parsed === null ? null : this.membership(parsed.teamId, parsed.userId);
    }
    const { table, id: column } = TABLE_OF[kind];
    const row = await this.database.db.selectFrom(table.name).selectAll().where(column, '=', id).executeTakeFirst();
    return row === undefined ? null : decodeRow(table, row);
  }

  async insert(table: TableDef, values: Row): Promise<void> {
    await this.database.db.insertInto(table.name).values(encodeRow(table, values, this.database.dialect)).execute();
  }

  /** Updates the given fields; returns whether a row matched. */
  async membership(teamId: string, userId: string): Promise<Row | null> {
    const row = await this.database.db.selectFrom(TEAM_MEMBERSHIP.name).selectAll().where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
    return row === undefined ? null : decodeRow(TEAM_MEMBERSHIP, row);
  }

  /** Creates the membership row, or points an existing one at `budgetId` (spend is kept). */
  async upsertMembership(teamId: string, userId: string, budgetId: string | null): Promise<void> {
    const updated = await this.database.db.updateTable(TEAM_MEMBERSHIP.name).set({ budget_id: budgetId }).where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    await this.database.db.insertInto(TEAM_MEMBERSHIP.name).values({ team_id: teamId, user_id: userId, spend: 0, budget_id: budgetId })
      .onConflict((oc) => oc.columns(['user_id', 'team_id']).doUpdateSet({ budget_id: budgetId })).execute();
  }

  /** Removes a team's memberships (all of them, or those of the given users); returns the user ids removed. */
  async removeMemberships(teamId: string, userIds?: readonly string[]): Promise<string[]> {
    let query = this.database.db.selectFrom(TEAM_MEMBERSHIP.name).select('user_id').where('team_id', '=', teamId);
    if (userIds !== undefined) query = query.where('user_id', 'in', userIds.length === 0 ? [''] : [...userIds]);
    const found = (await query.execute()).map((row) => String(row.user_id));
    if (found.length > 0) await this.database.db.deleteFrom(TEAM_MEMBERSHIP.name).where('team_id', '=', teamId).where('user_id', 'in', found).execute();
    return found;
  }

  async update(kind: Exclude<ChangeKind, 'team_member'>, id: string, values: Row): Promise<boolean> {
    const { table, id: column } = TABLE_OF[kind];
    const encoded = encodeRow(table, values, this.database.dialect);
    if (Object.keys(encoded).length === 0) return (await this.get(kind, id)) !== null;
    const result = await this.database.db.updateTable(table.name).set(encoded).where(column, '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async remove(kind: Exclude<ChangeKind, 'team_member'>, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const { table, id: column } = TABLE_OF[kind];
    const result = await this.database.db.deleteFrom(table.name).where(column, 'in', ids).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Tells every instance (through the change log they poll) to reload this entity; returns the log row's id. */
  async recordChange(kind: ChangeKind, id: string): Promise<string> {
    const logId = randomUUID();
    await this.insert(CHANGE_LOG, { id: logId, kind, entity_id: id, created_at: new Date() });
    return logId;
  }

  /** The change log is only read for its last seconds; older rows are removed (by any instance, idempotently). */
  async pruneChanges(before: Date): Promise<void> {
    await this.database.db.deleteFrom(CHANGE_LOG.name).where('created_at', '<', encodeRow(CHANGE_LOG, { created_at: before }, this.database.dialect).created_at).execute();
  }

  /** Change-log rows from `since` on, without those whose id starts with `skipPrefix` (an instance's own spend rows). */
  async changesSince(since: Date, skipPrefix = ''): Promise<Row[]> {
    const since_ = encodeRow(CHANGE_LOG, { created_at: since }, this.database.dialect).created_at;
    let query = this.database.db.selectFrom(CHANGE_LOG.name).selectAll().where('created_at', '>=', since_);
    if (skipPrefix !== '') query = query.where('id', 'not like', `${skipPrefix}%`);
    const rows = await query.orderBy('created_at').limit(10_000).execute();
    return rows.map((row) => decodeRow(CHANGE_LOG, row));
  }
}
