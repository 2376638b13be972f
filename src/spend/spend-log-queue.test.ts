// The SpendLogs queue hands rows over oldest first in bounded blocks, takes a failed block back in front, and when
// full drops only the oldest rows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SpendEvent } from './spend-event.js';
import { eventAt, type SpendLogBlock } from './spend-log-block.js';
import { SpendLogQueue } from './spend-log-queue.js';

function event(index: number): SpendEvent {
  return {
    requestId: `req-${index}`, callType: 'acompletion', apiKey: 'k'.repeat(64), spend: 0.001, promptTokens: 1, completionTokens: 1, totalTokens: 2,
    cacheReadTokens: 0, cacheCreationTokens: 0, startTime: 1_764_000_000_000 + index, endTime: 1_764_000_000_010 + index, completionStartTime: null,
    model: 'gpt-4o-mini', modelId: 'dep-1', modelGroup: 'gpt-4o', provider: 'openai', apiBase: 'https://api.openai.com/v1', userId: null, teamId: null,
    endUser: null, tags: [], endpoint: '/chat/completions', success: true, keyAlias: null,
  };
}

function ids(block: SpendLogBlock): string[] {
  return Array.from({ length: block.length }, (_, index) => eventAt(block, index).requestId);
}

test('rows leave oldest first, in blocks of at most blockRows', () => {
  const queue = new SpendLogQueue(4);
  for (let index = 0; index < 10; index++) queue.append(event(index));
  assert.equal(queue.rows, 10, 'every row is counted');
  const taken: string[][] = [];
  for (let block = queue.take(); block !== null; block = queue.take()) taken.push(ids(block));
  assert.deepEqual(taken, [['req-0', 'req-1', 'req-2', 'req-3'], ['req-4', 'req-5', 'req-6', 'req-7'], ['req-8', 'req-9']], 'blocks in order, none over 4 rows');
  assert.equal(queue.rows, 0, 'the queue is empty');
  assert.equal(queue.take(), null, 'an empty queue gives nothing');
});

test('rows appended after a take start a block of their own', () => {
  const queue = new SpendLogQueue(4);
  queue.append(event(0));
  const first = queue.take()!;
  queue.append(event(1));
  assert.deepEqual(ids(first), ['req-0'], 'the taken block is not appended to');
  assert.deepEqual(ids(queue.take()!), ['req-1']);
});

test('a failed block goes back in front, ahead of rows recorded meanwhile, and leaves with them when they fit', () => {
  const queue = new SpendLogQueue(4);
  for (let index = 0; index < 3; index++) queue.append(event(index));
  const failed = queue.take()!;
  queue.append(event(3));
  assert.equal(queue.putBack(failed, 100), 0, 'nothing dropped under the bound');
  assert.equal(queue.rows, 4);
  assert.deepEqual(ids(queue.take()!), ['req-0', 'req-1', 'req-2', 'req-3'], 'the failed rows first, joined with the next block');
  assert.equal(queue.take(), null);
});

test('blocks that do not fit together leave one after the other', () => {
  const queue = new SpendLogQueue(8);
  for (let index = 0; index < 4; index++) queue.append(event(index));
  const failed = queue.take()!;
  for (let index = 4; index < 10; index++) queue.append(event(index));
  queue.putBack(failed, 100);
  assert.equal(queue.rows, 10);
  assert.deepEqual(ids(queue.take()!), ['req-0', 'req-1', 'req-2', 'req-3'], '4 + 6 rows exceed a block: the failed one alone');
  assert.deepEqual(ids(queue.take()!), ['req-4', 'req-5', 'req-6', 'req-7', 'req-8', 'req-9'], 'then the next');
  assert.equal(queue.rows, 0);
});

test('putting back beyond the bound drops the oldest rows only, whole blocks and part of one', () => {
  const queue = new SpendLogQueue(4);
  for (let index = 0; index < 4; index++) queue.append(event(index));
  const failed = queue.take()!;
  for (let index = 4; index < 10; index++) queue.append(event(index));
  // 4 failed + 6 queued = 10 rows against a bound of 5: the failed block (4) and req-4 go.
  assert.equal(queue.putBack(failed, 5), 5, 'five rows dropped');
  assert.equal(queue.rows, 5, 'the bound holds');
  const kept: string[] = [];
  for (let block = queue.take(); block !== null; block = queue.take()) kept.push(...ids(block));
  assert.deepEqual(kept, ['req-5', 'req-6', 'req-7', 'req-8', 'req-9'], 'the newest rows are kept, in order');
});

test('a queue needs a positive block size', () => {
  assert.throws(() => new SpendLogQueue(0), RangeError);
});
