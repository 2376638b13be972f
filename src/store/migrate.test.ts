import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './database.js';
import { migrate } from './migrate.js';
import { ALL_TABLES } from './tables.js';

test('migrations create every table, are idempotent, and only add what is missing', async () => {
  const database = openDatabase('sqlite://:memory:');
  try {
    // An older table with a column Sluice does not know and without most of LiteLLM's columns.
    await sql.raw('CREATE TABLE "LiteLLM_TeamTable" ("team_id" TEXT NOT NULL PRIMARY KEY, "legacy" TEXT)').execute(database.db);
    await sql.raw(`INSERT INTO "LiteLLM_TeamTable" ("team_id", "legacy") VALUES ('t1', 'kept')`).execute(database.db);
    await migrate(database);
    await migrate(database);
    const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(database.db);
    for (const table of ALL_TABLES) assert.ok(tables.rows.some((row) => row.name === table.name), table.name);
    const row = (await sql<Record<string, unknown>>`SELECT * FROM "LiteLLM_TeamTable"`.execute(database.db)).rows[0]!;
    assert.equal(row.legacy, 'kept');
    assert.equal(row.spend, 0);
    assert.equal(row.blocked, 0);
    const indexes = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'LiteLLM_DailyUserSpend'`.execute(database.db);
    assert.equal(indexes.rows.filter((index) => !index.name.startsWith('sqlite_autoindex')).length, 7);
  } finally {
    await database.close();
  }
});

test('SQLite SpendLogs: no index that only costs inserts; an existing database keeps the indexes it has', async () => {
  const spendIndexes = async (database: ReturnType<typeof openDatabase>): Promise<Map<string, string>> => {
    const rows = await sql<{ name: string; sql: string | null }>`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'LiteLLM_SpendLogs'`.execute(database.db);
    return new Map(rows.rows.filter((row) => row.sql !== null).map((row) => [row.name, row.sql!]));
  };
  const fresh = openDatabase('sqlite://:memory:');
  try {
    await migrate(fresh);
    await migrate(fresh);
    const indexes = await spendIndexes(fresh);
    assert.deepEqual([...indexes.keys()].sort(), ['LiteLLM_SpendLogs_end_user_idx', 'LiteLLM_SpendLogs_session_id_idx', 'LiteLLM_SpendLogs_startTime_request_id_idx'], 'startTime alone is covered by (startTime, request_id)');
    assert.match(indexes.get('LiteLLM_SpendLogs_end_user_idx')!, /WHERE "end_user" IS NOT NULL$/, 'end_user holds only rows with a value');
    assert.match(indexes.get('LiteLLM_SpendLogs_session_id_idx')!, /WHERE "session_id" IS NOT NULL$/, 'session_id holds only rows with a value');
    const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT * FROM "LiteLLM_SpendLogs" WHERE "end_user" = ${'customer-1'}`.execute(fresh.db);
    assert.ok(plan.rows.some((row) => row.detail.includes('LiteLLM_SpendLogs_end_user_idx')), `an equality lookup uses the partial index: ${JSON.stringify(plan.rows)}`);
  } finally {
    await fresh.close();
  }
  const older = openDatabase('sqlite://:memory:');
  try {
    // A database made before: full indexes, including startTime alone. Migrating neither drops nor duplicates them.
    await sql.raw('CREATE TABLE "LiteLLM_SpendLogs" ("request_id" TEXT NOT NULL PRIMARY KEY, "startTime" TEXT, "end_user" TEXT, "session_id" TEXT)').execute(older.db);
    await sql.raw('CREATE INDEX "old_start" ON "LiteLLM_SpendLogs" ("startTime")').execute(older.db);
    await sql.raw('CREATE INDEX "old_end_user" ON "LiteLLM_SpendLogs" ("end_user")').execute(older.db);
    await migrate(older);
    const names = [...(await spendIndexes(older)).keys()].sort();
    assert.deepEqual(names, ['LiteLLM_SpendLogs_session_id_idx', 'LiteLLM_SpendLogs_startTime_request_id_idx', 'old_end_user', 'old_start'], 'existing indexes are kept, only missing ones are added');
  } finally {
    await older.close();
  }
});
