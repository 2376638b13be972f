// SQL text for the spend statements, written out rather than built with the query builder: the spend write thread
// then loads no kysely (2.8 MB of the thread's RSS), and a statement costs a few string joins instead of a compile.
// Table and column names come from store/tables.ts; every value is a bound parameter.
import type { Dialect } from '../store/database.js';

/** SQL and its parameters: plain data, so a batch's statements can cross to the write thread. */
export interface Statement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/** A `where` condition: column = value, or `column is null` when the value is null. */
export type Match = readonly [column: string, value: unknown];

export function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Collects one statement's parameters and hands out their placeholders (`?` for SQLite, `$n` for Postgres). */
export class Parameters {
  private readonly values: unknown[] = [];

  constructor(private readonly dialect: Dialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgres' ? `$${this.values.length}` : '?';
  }

  statement(sql: string): Statement {
    return { sql, parameters: this.values };
  }
}

function conditions(matches: readonly Match[], parameters: Parameters): string {
  return matches.map(([column, value]) => (value === null ? `${quote(column)} is null` : `${quote(column)} = ${parameters.add(value)}`)).join(' and ');
}

/** Builds one clause's SQL, adding its parameters as it goes. */
export type Clause<T> = (parameters: Parameters) => T;

/** `"column" = "column" + amount` (the column read qualified by `qualifier` when given). */
export function addTo(column: string, amount: number, qualifier = ''): Clause<string> {
  return (parameters) => `${quote(column)} = ${qualifier === '' ? '' : `${quote(qualifier)}.`}${quote(column)} + ${parameters.add(amount)}`;
}

/** `"column" = value` for each field of an encoded row, in its order. */
export function assignments(row: Readonly<Record<string, unknown>>): Clause<string[]> {
  return (parameters) => Object.keys(row).map((column) => `${quote(column)} = ${parameters.add(row[column])}`);
}

/**
 * `update "table" set … where … [and …]`. SQLite binds `?` by position, so the clauses are built, and their
 * parameters added, in the order they appear in the text.
 */
export function update(dialect: Dialect, table: string, set: Clause<string[]>, matches: readonly Match[], guard?: Clause<string>): Statement {
  const parameters = new Parameters(dialect);
  const assigned = set(parameters).join(', ');
  const where = conditions(matches, parameters);
  const extra = guard === undefined ? '' : ` and ${guard(parameters)}`;
  return parameters.statement(`update ${quote(table)} set ${assigned} where ${where}${extra}`);
}

/** `insert into "table" (the first row's columns) values (…), (…) [suffix]`; every row has the first row's columns. */
export function insert(dialect: Dialect, table: string, rows: ReadonlyArray<Readonly<Record<string, unknown>>>, suffix?: Clause<string>): Statement {
  const parameters = new Parameters(dialect);
  const columns = Object.keys(rows[0]!);
  const tuples = rows.map((row) => `(${columns.map((column) => parameters.add(row[column] ?? null)).join(', ')})`);
  const tail = suffix === undefined ? '' : ` ${suffix(parameters)}`;
  return parameters.statement(`insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}${tail}`);
}
