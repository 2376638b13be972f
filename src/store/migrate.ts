// Start-up migrations: create the tables, columns and indexes that are missing; never drop or rewrite anything.
import { sql } from 'kysely';
import type { Database, Dialect } from './database.js';
import { ALL_TABLES, type ColumnDef, type TableDef } from './tables.js';

const PG_TYPES: Record<ColumnDef['type'], string> = {
  text: 'TEXT', float: 'DOUBLE PRECISION', int: 'INTEGER', bigint: 'BIGINT', bool: 'BOOLEAN', timestamp: 'TIMESTAMP(3)', json: 'JSONB', 'text[]': 'TEXT[]',
};
const SQLITE_TYPES: Record<ColumnDef['type'], string> = {
  text: 'TEXT', float: 'REAL', int: 'INTEGER', bigint: 'INTEGER', bool: 'INTEGER', timestamp: 'TEXT', json: 'TEXT', 'text[]': 'TEXT',
};

export function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function defaultSql(column: ColumnDef, dialect: Dialect): string | null {
  const value = column.defaultValue;
  if (value === null) return null;
  if (value === 'now') return dialect === 'postgres' ? 'CURRENT_TIMESTAMP' : "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))";
  if (column.type === 'bool') return dialect === 'postgres' ? value.toUpperCase() : value === 'true' ? '1' : '0';
  if (column.type === 'text[]') return dialect === 'postgres' ? 'ARRAY[]::TEXT[]' : "'[]'";
  if (column.type === 'json') return dialect === 'postgres' ? `'${value}'::jsonb` : `'${value}'`;
  return value;
}

function columnSql(column: ColumnDef, dialect: Dialect, adding: boolean): string {
  const type = (dialect === 'postgres' ? PG_TYPES : SQLITE_TYPES)[column.type];
  // SQLite cannot add a column whose default is an expression: such a column is added without it (and nullable).
  const fallback = adding && dialect === 'sqlite' && column.defaultValue === 'now' ? null : defaultSql(column, dialect);
  // A NOT NULL column added to a table with rows needs a default; without one it is added nullable (never a rewrite).
  const notNull = column.notNull && (!adding || fallback !== null) ? ' NOT NULL' : '';
  return `${quote(column.name)} ${type}${notNull}${fallback === null ? '' : ` DEFAULT ${fallback}`}`;
}

/** Prisma's constraint names (`Table_col_col_idx`), cut to Postgres' 63-byte identifier limit. */
function indexName(table: string, columns: readonly string[], suffix: string): string {
  const name = `${table}_${columns.join('_')}`;
  return `${name.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}

function createTableSql(table: TableDef, dialect: Dialect): string {
  const columns = table.columns.map((column) => columnSql(column, dialect, false));
  columns.push(`CONSTRAINT ${quote(`${table.name}_pkey`)} PRIMARY KEY (${table.primaryKey.map(quote).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${quote(table.name)} (${columns.join(', ')})`;
}

async function existingColumns(database: Database, table: string): Promise<Set<string>> {
  if (database.dialect === 'postgres') {
    const result = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`.execute(database.db);
    return new Set(result.rows.map((row) => row.column_name));
  }
  const result = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(database.db);
  return new Set(result.rows.map((row) => row.name));
}

/** Column lists of the table's existing indexes (compared by columns, so LiteLLM's own names are recognised). */
async function existingIndexes(database: Database, table: string): Promise<Set<string>> {
  if (database.dialect === 'postgres') {
    const result = await sql<{ columns: string }>`
      SELECT string_agg(a.attname, ',' ORDER BY k.ord) AS columns
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE t.relname = ${table} AND n.nspname = current_schema() GROUP BY i.indexrelid`.execute(database.db);
    return new Set(result.rows.map((row) => row.columns));
  }
  const list = await sql<{ name: string }>`SELECT name FROM pragma_index_list(${table})`.execute(database.db);
  const out = new Set<string>();
  for (const index of list.rows) {
    const info = await sql<{ name: string }>`SELECT name FROM pragma_index_info(${index.name}) ORDER BY seqno`.execute(database.db);
    out.add(info.rows.map((row) => row.name).join(','));
  }
  return out;
}

async function migrateTable(database: Database, table: TableDef): Promise<void> {
  const { db, dialect } = database;
  await sql.raw(createTableSql(table, dialect)).execute(db);
  const present = await existingColumns(database, table.name);
  for (const column of table.columns) {
    if (present.has(column.name)) continue;
    await sql.raw(`ALTER TABLE ${quote(table.name)} ADD COLUMN ${columnSql(column, dialect, true)}`).execute(db);
  }
  const indexes = await existingIndexes(database, table.name);
  const wanted: Array<{ columns: readonly string[]; unique: boolean; where: string }> = table.uniques.map((columns) => ({ columns, unique: true, where: '' }));
  for (const index of table.indexes) {
    if (dialect === 'sqlite' && index.sqlite === 'skip') continue;
    const where = dialect === 'sqlite' && index.sqlite === 'not-null' ? ` WHERE ${index.columns.map((column) => `${quote(column)} IS NOT NULL`).join(' AND ')}` : '';
    wanted.push({ columns: index.columns, unique: false, where });
  }
  for (const { columns, unique, where } of wanted) {
    // An index over the same columns, full or partial, counts as present: nothing is dropped or rebuilt.
    if (indexes.has(columns.join(','))) continue;
    const name = indexName(table.name, columns, unique ? 'key' : 'idx');
    await sql.raw(`CREATE ${unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quote(name)} ON ${quote(table.name)} (${columns.map(quote).join(', ')})${where}`).execute(db);
  }
}

/** Idempotent; safe to run from several instances at once on Postgres (serialised by an advisory lock). */
export async function migrate(database: Database): Promise<void> {
  if (database.dialect === 'sqlite') {
    for (const table of ALL_TABLES) await migrateTable(database, table);
    return;
  }
  await database.db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(7357001)`.execute(connection);
    try {
      for (const table of ALL_TABLES) await migrateTable({ ...database, db: connection }, table);
    } finally {
      await sql`SELECT pg_advisory_unlock(7357001)`.execute(connection);
    }
  });
}
