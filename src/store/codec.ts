// Converts rows between JavaScript values and each dialect's storage (SQLite keeps arrays, JSON and dates as text).
import type { Dialect, Row } from './database.js';
import type { ColumnDef, TableDef } from './tables.js';

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function decodeValue(column: ColumnDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'bool':
      return value === true || value === 1 || value === '1' || value === 't';
    case 'bigint':
    case 'int':
    case 'float':
      return Number(value);
    case 'timestamp':
      return value instanceof Date ? value : new Date(String(value).includes('T') || String(value).endsWith('Z') ? String(value) : `${String(value).replace(' ', 'T')}Z`);
    case 'json':
    case 'text[]':
      return parseJson(value);
    default:
      return value;
  }
}

function encodeValue(column: ColumnDef, value: unknown, dialect: Dialect): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'bool':
      return dialect === 'sqlite' ? (value ? 1 : 0) : Boolean(value);
    case 'timestamp': {
      const date = value instanceof Date ? value : new Date(String(value));
      return dialect === 'sqlite' ? date.toISOString() : date;
    }
    case 'json':
      return JSON.stringify(value);
    case 'text[]':
      // node-postgres turns a JS array into a Postgres array literal itself.
      return dialect === 'sqlite' ? JSON.stringify(value) : value;
    default:
      return value;
  }
}

/** Typed values for the table's known columns; unknown columns (a newer LiteLLM's) pass through untouched. */
export function decodeRow(table: TableDef, row: Row): Row {
  const out: Row = {};
  for (const name in row) {
    const column = table.columnsByName.get(name);
    out[name] = column === undefined ? row[name] : decodeValue(column, row[name]);
  }
  return out;
}

/** Storage values for the given fields; fields that are not columns of the table are left out. */
export function encodeRow(table: TableDef, values: Row, dialect: Dialect): Row {
  const out: Row = {};
  for (const name in values) {
    const column = table.columnsByName.get(name);
    if (column === undefined || values[name] === undefined) continue;
    out[name] = encodeValue(column, values[name], dialect);
  }
  return out;
}
