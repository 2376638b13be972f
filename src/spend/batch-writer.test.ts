// The batch writer caps the SpendLogs rows of one flush, so a backlog (a database outage, a lagging write thread)
// leaves in several bounded hand-overs rather than one that holds the event loop; nothing is lost or reordered.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../store/database.js';
import { migrate } from '../store/migrate.js';
import { SPEND_LOGS } from '../store/tables.js';
import { MAX_FLUSH_ROWS, SpendBatchWriter } from './batch-writer.js';
import type { SpendEvent } from './spend-event.js';

function event(index: number): SpendEvent {
  return {
    requestId: `req-${String(index).padStart(6, '0')}`, callType: 'acompletion', apiKey: 'k'.repeat(64), spend: 0.001, promptTokens: 1, completionTokens: 1,
    totalTokens: 2, cacheReadTokens: 0, cacheCreationTokens: 0, startTime: 1_764_000_000_000 + index, endTime: 1_764_000_000_010 + index,
    completionStartTime: null, model: 'gpt-4o-mini', modelId: 'dep-1', modelGroup: 'gpt-4o', provider: 'openai', apiBase: 'https://api.openai.com/v1',
    userId: null, teamId: null, endUser: null, tags: [], endpoint: '/chat/completions', success: true, keyAlias: null,
  };
}

test('a backlog larger than one flush leaves in capped batches, every row and every cent written', async () => {
  const database = openDatabase(`sqlite://${join(mkdtempSync(join(tmpdir(), 'sluice-batches-')), 'spend.db')}`);
  await migrate(database);
  const batches: number[] = [];
  let keySpend = 0;
  const writer = new SpendBatchWriter(database, {
    intervalMs: 60_000, writeLogs: true, maxQueuedLogs: 100_000,
    onWritten: (increments, logRows) => {
      batches.push(logRows);
      keySpend += increments.key.get('k'.repeat(64)) ?? 0;
    },
  });
  try {
    writer.start();
    const total = 2 * MAX_FLUSH_ROWS + 300;
    for (let index = 0; index < total; index++) writer.record(event(index), 'k'.repeat(64), null, null, null);
    assert.ok(await writer.drain(20_000), 'the writer drains');
    assert.ok(batches.every((rows) => rows <= MAX_FLUSH_ROWS), `no flush carries more than ${MAX_FLUSH_ROWS} rows: ${batches.join(', ')}`);
    assert.ok(batches.length >= 3, `the backlog left in several flushes: ${batches.join(', ')}`);
    assert.equal(batches.reduce((sum, rows) => sum + rows, 0), total, 'every row was handed over once');
    const stored = await database.db.selectFrom(SPEND_LOGS.name).select(['request_id', 'startTime']).orderBy('startTime').execute();
    assert.equal(stored.length, total, 'every row is in the table');
    assert.equal(stored[0]!.request_id, 'req-000000', 'the oldest row is there');
    assert.equal(stored.at(-1)!.request_id, `req-${String(total - 1).padStart(6, '0')}`, 'the newest row is there');
    assert.ok(Math.abs(keySpend - total * 0.001) < 1e-9, `the key's spend increments add up to every row's (${keySpend})`);
  } finally {
    await database.close();
  }
});
