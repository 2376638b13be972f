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
