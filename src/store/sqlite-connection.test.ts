import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSqlite, SQLITE_CACHE_KIB } from './sqlite-connection.js';

test('a file connection: WAL, NORMAL sync, a busy timeout and a bounded page cache', () => {
  const connection = openSqlite(join(mkdtempSync(join(tmpdir(), 'sluice-sqlite-')), 'a.db'));
  try {
    assert.equal(connection.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(connection.pragma('synchronous', { simple: true }), 1, 'NORMAL');
    assert.equal(connection.pragma('busy_timeout', { simple: true }), 5000);
    assert.equal(connection.pragma('cache_size', { simple: true }), -SQLITE_CACHE_KIB, 'better-sqlite3 would default to -16000');
  } finally {
    connection.close();
  }
});

test('an in-memory database keeps SQLite’s default cache (its pages live only there)', () => {
  const connection = openSqlite(':memory:');
  try {
    assert.notEqual(connection.pragma('cache_size', { simple: true }), -SQLITE_CACHE_KIB, 'no bound on an in-memory database');
  } finally {
    connection.close();
  }
});
