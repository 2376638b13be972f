import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { addTo, assignments, insert, quote, update } from './sql-text.js';

test('placeholders follow the text: positional for SQLite, numbered for Postgres', () => {
  const guard = (parameters: { add(value: unknown): string }): string => `("reset_at" is null or "reset_at" <= ${parameters.add('NOW')})`;
  const sqlite = update('sqlite', 'T', assignments({ spend: 0, reset_at: 'NEXT' }), [['id', 'x'], ['gone', null]], guard);
  assert.equal(sqlite.sql, 'update "T" set "spend" = ?, "reset_at" = ? where "id" = ? and "gone" is null and ("reset_at" is null or "reset_at" <= ?)');
  assert.deepEqual(sqlite.parameters, [0, 'NEXT', 'x', 'NOW'], 'bound in the order the ? appear');
  const postgres = update('postgres', 'T', (parameters) => [addTo('spend', 2.5)(parameters)], [['id', 'x']]);
  assert.equal(postgres.sql, 'update "T" set "spend" = "spend" + $1 where "id" = $2');
  assert.deepEqual(postgres.parameters, [2.5, 'x']);
});

test('multi-row insert with a conflict clause, and quoted names', () => {
  const statement = insert('postgres', 'E', [{ id: 'a', spend: 1 }, { id: 'b', spend: null }], (parameters) => `on conflict ("id") do update set ${addTo('spend', 3, 'E')(parameters)}`);
  assert.equal(statement.sql, 'insert into "E" ("id", "spend") values ($1, $2), ($3, $4) on conflict ("id") do update set "spend" = "E"."spend" + $5');
  assert.deepEqual(statement.parameters, ['a', 1, 'b', null, 3]);
  assert.equal(quote('we"ird'), '"we""ird"');
});

test('the statements run on SQLite as written', () => {
  const database = new BetterSqlite3(':memory:');
  database.exec('create table "E" ("id" text primary key, "spend" real, "reset_at" text)');
  const run = (statement: { sql: string; parameters: readonly unknown[] }): number => database.prepare(statement.sql).run(...statement.parameters).changes;
  const upsert = (amount: number) => insert('sqlite', 'E', [{ id: 'a', spend: amount }], (parameters) => `on conflict ("id") do update set ${addTo('spend', amount, 'E')(parameters)}`);
  run(upsert(1));
  run(upsert(2));
  assert.equal(run(update('sqlite', 'E', (parameters) => [addTo('spend', 4)(parameters)], [['id', 'a'], ['reset_at', null]])), 1, 'the is-null condition matched');
  assert.equal(run(update('sqlite', 'E', assignments({ spend: 0 }), [['id', 'a']], (parameters) => `"reset_at" = ${parameters.add('later')}`)), 0, 'the guard kept the row');
  assert.deepEqual(database.prepare('select "spend" from "E"').get(), { spend: 7 });
});
