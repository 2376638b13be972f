// Every way a spend batch is written (the write thread on SQLite and on Postgres, the event loop for in-memory
// SQLite) stores the same rows: the SQLite thread's one-row statements bind every column in order.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freshPostgres } from '../../test/support/governed-gateway.js';
import { decodeRow } from '../store/codec.js';
import { openDatabase, type Database } from '../store/database.js';
import { migrate } from '../store/migrate.js';
import { DAILY_TAG_SPEND, SPEND_LOGS } from '../store/tables.js';
import { SpendBuffer } from './spend-buffer.js';
import type { SpendEvent } from './spend-event.js';
import { SpendWriteThread } from './spend-write-thread.js';
import { writeSpend } from './write-spend.js';

function event(requestId: string, spend: number, tags: string[]): SpendEvent {
  return {
    requestId, callType: 'acompletion', apiKey: 'k'.repeat(64), spend, promptTokens: 11, completionTokens: 7, totalTokens: 18,
    cacheReadTokens: 2, cacheCreationTokens: 0, startTime: Date.parse('2026-12-04T10:00:00.000Z'), endTime: Date.parse('2026-12-04T10:00:00.250Z'),
    completionStartTime: Date.parse('2026-12-04T10:00:00.100Z'), model: 'gpt-4o-mini', modelId: 'dep-1', modelGroup: 'gpt-4o', provider: 'openai',
    apiBase: 'https://api.openai.com/v1', userId: 'user-1', teamId: null, endUser: 'customer-9', tags, endpoint: '/chat/completions', success: true, keyAlias: 'alias',
  };
}

async function writeAndRead(database: Database, thread: SpendWriteThread | null): Promise<{ logs: Record<string, unknown>[]; tagSpend: number }> {
  await migrate(database);
  const buffer = new SpendBuffer();
  buffer.record(event('req-1', 0.25, ['a']), true, 'k'.repeat(64), null, 'user-1', 'customer-9');
  buffer.record(event('req-2', 0.5, ['a', 'b']), true, 'k'.repeat(64), null, 'user-1', 'customer-9');
  await writeSpend(database, buffer, true, thread);
  const logs = (await database.db.selectFrom(SPEND_LOGS.name).selectAll().orderBy('request_id').execute()).map((row) => decodeRow(SPEND_LOGS, row));
  const tags = await database.db.selectFrom(DAILY_TAG_SPEND.name).selectAll().where('tag', '=', 'a').execute();
  return { logs, tagSpend: tags.reduce((sum, row) => sum + Number(decodeRow(DAILY_TAG_SPEND, row).spend), 0) };
}

function assertStored(result: { logs: Record<string, unknown>[]; tagSpend: number }): void {
  assert.equal(result.logs.length, 2);
  const [first] = result.logs;
  assert.equal(first!.request_id, 'req-1');
  assert.equal(first!.spend, 0.25);
  assert.equal(first!.prompt_tokens, 11);
  assert.equal(first!.completion_tokens, 7);
  assert.equal(first!.model_group, 'gpt-4o');
  assert.equal(first!.end_user, 'customer-9');
  assert.equal(first!.request_duration_ms, 250);
  assert.deepEqual(first!.request_tags, ['a']);
  assert.equal((first!.startTime as Date).toISOString(), '2026-12-04T10:00:00.000Z');
  assert.deepEqual(first!.metadata, { user_api_key_alias: 'alias', user_api_key_team_id: null, user_api_key_user_id: 'user-1' });
  assert.equal(result.tagSpend, 0.75);
}

test('a spend batch written by the SQLite write thread stores every column', async () => {
  const database = openDatabase(`sqlite://${join(mkdtempSync(join(tmpdir(), 'sluice-spend-')), 'spend.db')}`);
  const thread = new SpendWriteThread(database.connectionSpec!);
  try {
    assertStored(await writeAndRead(database, thread));
  } finally {
    await thread.close();
    await database.close();
  }
});

test('the same batch written on the event loop (in-memory SQLite) stores the same rows', async () => {
  const database = openDatabase('sqlite://');
  try {
    assertStored(await writeAndRead(database, null));
  } finally {
    await database.close();
  }
});

test('a spend batch written by the write thread to Postgres stores every column', async (t) => {
  const fresh = await freshPostgres('spend_thread');
  if (fresh === null) return t.skip('Postgres unreachable at 127.0.0.1:5432 (set CI=true to require it)');
  const database = openDatabase(fresh.url);
  const thread = new SpendWriteThread(database.connectionSpec!);
  try {
    assertStored(await writeAndRead(database, thread));
  } finally {
    await thread.close();
    await database.close();
    await fresh.drop();
  }
});

test('a batch the database refuses is reported to the caller (the batch writer then retries it)', async () => {
  const database = openDatabase('postgres://postgres@127.0.0.1:1/nowhere', { connectionTimeoutMs: 500 });
  const thread = new SpendWriteThread(database.connectionSpec!);
  try {
    const buffer = new SpendBuffer();
    buffer.record(event('req-x', 1, []), true, 'k'.repeat(64), null, null, null);
    await assert.rejects(writeSpend(database, buffer, true, thread), /ECONNREFUSED|connect/);
  } finally {
    await thread.close();
    await database.close();
  }
});

test('a write thread that dies settles what it held and the next batch runs on a fresh thread', async () => {
  const database = openDatabase(`sqlite://${join(mkdtempSync(join(tmpdir(), 'sluice-spend-')), 'spend.db')}`);
  await migrate(database);
  const thread = new SpendWriteThread(database.connectionSpec!);
  try {
    const held = new SpendBuffer();
    held.record(event('req-held', 1, []), true, 'k'.repeat(64), null, null, null);
    // Whether the dying thread committed the held batch first is a race; what matters is that it settles.
    const settled = writeSpend(database, held, true, thread).then(() => 'stored', () => 'failed');
    await thread.crashForTest();
    assert.match(await settled, /stored|failed/, 'the held batch settles instead of waiting forever');
    const next = new SpendBuffer();
    next.record(event('req-next', 2, []), true, 'k'.repeat(64), null, null, null);
    await writeSpend(database, next, true, thread);
    assert.equal(thread.started, 2, 'a second thread was started');
    const rows = await database.db.selectFrom(SPEND_LOGS.name).select('request_id').where('request_id', '=', 'req-next').execute();
    assert.equal(rows.length, 1, 'the next batch was stored');
  } finally {
    await thread.close();
    await database.close();
  }
});

test('the write thread runs at a lower priority than the event loop (Linux: its own nice value)', async (t) => {
  if (!existsSync('/proc/thread-self')) return t.skip('per-thread nice values are read from /proc (Linux only)');
  const database = openDatabase(`sqlite://${join(mkdtempSync(join(tmpdir(), 'sluice-spend-')), 'spend.db')}`);
  await migrate(database);
  const niceOfThreads = (): number[] =>
    readdirSync('/proc/self/task').map((task) => Number(readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
  const base = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16]);
  if (base >= 10) return t.skip(`the test process already runs at nice ${base}`);
  assert.ok(!niceOfThreads().includes(10), 'no thread at nice 10 before the write thread starts');
  const thread = new SpendWriteThread(database.connectionSpec!);
  try {
    const buffer = new SpendBuffer();
    buffer.record(event('req-nice', 1, []), true, 'k'.repeat(64), null, null, null);
    await writeSpend(database, buffer, true, thread);
    assert.ok(niceOfThreads().includes(10), `one thread runs at nice 10 (SLUICE_SPEND_THREAD_NICE default): ${niceOfThreads().join(',')}`);
  } finally {
    await thread.close();
    await database.close();
  }
});
