// SpendLogs rows held as columns come back exactly as recorded, and encode into every SpendLogs column.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SpendEvent } from './spend-event.js';
import { appendEvent, emptyBlock, eventAt, joinBlocks, sliceBlock } from './spend-log-block.js';
import { isoTimestamp, pushRowValues, SPEND_LOG_INSERT_COLUMNS, spendLogInsertSql } from './spend-log-insert.js';

function event(index: number, overrides: Partial<SpendEvent> = {}): SpendEvent {
  return {
    requestId: `req-${index}`, callType: 'acompletion', apiKey: 'k'.repeat(64), spend: index * 0.001, promptTokens: index, completionTokens: 2 * index,
    totalTokens: 3 * index, cacheReadTokens: 1, cacheCreationTokens: 0, startTime: 1_764_000_000_000 + index, endTime: 1_764_000_000_250 + index,
    completionStartTime: index % 2 === 0 ? null : 1_764_000_000_100 + index, model: 'gpt-4o-mini', modelId: 'dep-1', modelGroup: 'gpt-4o', provider: 'openai',
    apiBase: 'https://api.openai.com/v1', userId: index % 3 === 0 ? null : 'user-1', teamId: null, endUser: 'customer-9', tags: index % 2 === 0 ? [] : ['a', 'b'],
    endpoint: '/chat/completions', success: index % 5 !== 0, keyAlias: null, ...overrides,
  };
}

test('rows appended to a block read back as the events recorded, past its initial capacity', () => {
  const block = emptyBlock();
  const events = Array.from({ length: 200 }, (_, index) => event(index));
  for (const recorded of events) appendEvent(block, recorded);
  assert.equal(block.length, 200, 'every row is kept');
  for (let index = 0; index < events.length; index++) assert.deepEqual(eventAt(block, index), events[index], `row ${index} reads back unchanged`);
});

test('rows share a profile while their strings repeat, and get their own when they change', () => {
  const block = emptyBlock();
  // The same key (strings equal but not identical, as from two parsed requests), then two keys interleaved, then a third.
  appendEvent(block, event(1, { endUser: ['cust', 'omer-9'].join('') }));
  appendEvent(block, event(1, { requestId: 'r-2' }));
  assert.equal(block.profiles.length, 1, 'equal strings share one profile');
  const keys = ['a', 'b', 'a', 'b', 'c', 'a'].map((key, index) => event(index, { apiKey: key.repeat(64), userId: 'user-1', tags: [] }));
  for (const recorded of keys) appendEvent(block, recorded);
  assert.equal(block.profiles.length, 4, 'interleaved keys reuse their recent profiles');
  for (let index = 0; index < keys.length; index++) assert.deepEqual(eventAt(block, index + 2), keys[index], `row ${index + 2} reads back its own strings`);
  // Nothing read back may change because a later row had other strings.
  for (let index = 0; index < 40; index++) appendEvent(block, event(index, { userId: `user-${index}`, endpoint: index % 2 === 0 ? '/embeddings' : '/chat/completions' }));
  for (let index = 0; index < 40; index++) assert.equal(eventAt(block, index + 8).userId, `user-${index}`, `row ${index + 8} keeps its user`);
});

test('slices and joins of blocks keep every row and its profile', () => {
  const first = emptyBlock();
  const second = emptyBlock();
  const events = Array.from({ length: 30 }, (_, index) => event(index, { apiKey: String(index % 7).repeat(64), teamId: index % 2 === 0 ? 't' : null }));
  events.slice(0, 12).forEach((recorded) => appendEvent(first, recorded));
  events.slice(12).forEach((recorded) => appendEvent(second, recorded));
  const joined = joinBlocks([sliceBlock(first, 2, 12), second]);
  assert.equal(joined.length, 28, 'rows of both blocks');
  for (let index = 0; index < joined.length; index++) assert.deepEqual(eventAt(joined, index), events[index + 2], `joined row ${index}`);
  const cloned = structuredClone(joined);
  for (let index = 0; index < cloned.length; index++) assert.deepEqual(eventAt(cloned, index), events[index + 2], `cloned row ${index}`);
});

test('request ids come back exactly, kept as bytes or as strings', () => {
  const ids = ['01a249b5-007a-7018-bc36-c05e2d4b849e', 'req-1', 'x'.repeat(35) + '\u00e9', 'ID-WITH-36-ASCII-CHARS-0123456789ABC', '', 'a'.repeat(37)];
  const block = emptyBlock();
  for (let round = 0; round < 30; round++) ids.forEach((id, index) => appendEvent(block, event(index, { requestId: `${id}` })));
  assert.equal(block.requestIds.filter((id) => id === null).length, 60, 'the 36-ASCII-character ids are kept as bytes');
  const again = structuredClone(joinBlocks([sliceBlock(block, 3, 100), sliceBlock(block, 100, 180)]));
  for (let index = 0; index < again.length; index++) assert.equal(eventAt(again, index).requestId, ids[(index + 3) % ids.length], `row ${index}`);
  const values: unknown[] = [];
  pushRowValues(block, 0, 'sqlite', values);
  assert.equal(values[0], ids[0], 'the insert gets the id as text');
});

test('a block survives a structured clone (the hand-over to the write thread)', () => {
  const block = emptyBlock();
  for (let index = 0; index < 3; index++) appendEvent(block, event(index));
  const cloned = structuredClone(block);
  for (let index = 0; index < 3; index++) assert.deepEqual(eventAt(cloned, index), event(index), `row ${index} crosses unchanged`);
});

test('a row encodes into every SpendLogs column, per dialect', () => {
  const block = emptyBlock();
  appendEvent(block, event(1, { teamId: 'team-1', keyAlias: 'alias' }));
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const values: unknown[] = [];
    pushRowValues(block, 0, dialect, values);
    assert.equal(values.length, SPEND_LOG_INSERT_COLUMNS.length, `${dialect}: one value per column`);
    const row = Object.fromEntries(SPEND_LOG_INSERT_COLUMNS.map((column, index) => [column, values[index]]));
    assert.equal(row.request_id, 'req-1');
    assert.equal(row.total_tokens, 3);
    assert.equal(row.request_duration_ms, 250);
    assert.equal(row.status, 'success');
    assert.equal(row.user, 'user-1');
    assert.equal(row.request_tags, '["a","b"]');
    assert.deepEqual(JSON.parse(String(row.metadata)), { user_api_key_alias: 'alias', user_api_key_team_id: 'team-1', user_api_key_user_id: 'user-1' });
    const start = row.startTime;
    if (dialect === 'sqlite') assert.equal(start, new Date(1_764_000_000_001).toISOString(), 'SQLite stores ISO text');
    else assert.ok(start instanceof Date && start.getTime() === 1_764_000_000_001, 'Postgres gets a Date');
  }
  assert.match(spendLogInsertSql('postgres', 2), /\(\$25, /, 'Postgres placeholders number on across rows');
  assert.equal(spendLogInsertSql('sqlite', 3).split('?').length - 1, 3 * SPEND_LOG_INSERT_COLUMNS.length, 'SQLite binds every column of every row');
});

test('isoTimestamp formats exactly as Date#toISOString, across seconds, fractions and out-of-range values', () => {
  const samples = [0, 1, 9, 10, 99, 100, 999, 1000, 1_764_000_000_000, 1_764_000_000_001.7, 1_764_000_000_999.99, 1_764_000_001_000, 1_764_000_000_500];
  for (let index = 0; index < 2_000; index++) samples.push(1_764_000_000_000 + Math.floor(Math.random() * 5_000_000) + Math.random());
  samples.push(253_402_300_799_999, 253_402_300_800_000, 8.64e15, -1, -86_400_001);
  for (const ms of samples) assert.equal(isoTimestamp(ms), new Date(ms).toISOString(), `same text for ${ms}`);
  // A cached second is never reused for another one, in either direction.
  assert.equal(isoTimestamp(1_764_000_001_001), '2025-11-24T16:00:01.001Z');
  assert.equal(isoTimestamp(1_764_000_000_001), '2025-11-24T16:00:00.001Z');
  assert.throws(() => isoTimestamp(Number.NaN), RangeError, 'NaN is as invalid as it is for a Date');
});
