// Encoded events come back byte for byte, batch by batch, however they fall across chunks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EncodedBatches } from './encoded-batches.js';

const text = (batch: { items(): Uint8Array[] }): string[] => batch.items().map((item) => Buffer.from(item).toString());

test('events come back in batches of batchSize, in order, whatever their size and characters', () => {
  const batches = new EncodedBatches(3);
  const events = ['{"a":1}', 'é—😀'.repeat(5_000), 'x'.repeat(30_000), '', '{"b":"\u2028"}', 'y'.repeat(70_000), 'z'];
  for (const event of events) batches.push(event);
  assert.equal(batches.pending, events.length, 'every event is held');
  const first = batches.take()!;
  assert.deepEqual(text(first), events.slice(0, 3), 'first batch, byte for byte (multi-byte text across chunk room)');
  assert.equal(batches.pending, 4, 'taken events no longer count');
  const second = batches.take()!;
  assert.deepEqual(text(second), events.slice(3, 6), 'second batch, with an event larger than a chunk');
  const third = batches.take()!;
  assert.deepEqual(text(third), ['z'], 'a partly filled batch is taken as it is');
  assert.equal(batches.take(), null, 'nothing left');
  for (const batch of [first, second, third]) batches.release(batch);
  batches.push('after');
  assert.deepEqual(text(batches.take()!), ['after'], 'released chunks are reused for new events');
});

test('events pushed after a batch was taken go to a new batch; clear drops and counts the rest', () => {
  const batches = new EncodedBatches(10);
  batches.push('one');
  const taken = batches.take()!;
  batches.push('two');
  assert.deepEqual(text(taken), ['one'], 'the taken batch keeps only its own events');
  batches.push('three');
  assert.equal(batches.clear(), 2, 'two events dropped');
  assert.equal(batches.pending, 0, 'nothing held');
  assert.equal(batches.take(), null, 'no batch left');
});
