// Call ids are version-7 UUIDs: RFC 9562's layout, the creation time up front, ascending within one process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newCallId } from './call-id.js';

const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('a call id is a version-7, RFC 9562 variant UUID carrying its creation time', () => {
  const before = Date.now();
  const id = newCallId();
  const after = Date.now();
  assert.match(id, UUID7, `${id} is a version-7 UUID`);
  const ms = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  assert.ok(ms >= before && ms <= after, `the time field ${ms} is the creation time (${before}..${after})`);
});

test('ids ascend within one millisecond and across many, and do not repeat', () => {
  const ids: string[] = [];
  for (let index = 0; index < 20_000; index++) ids.push(newCallId(1_764_000_000_000 + Math.floor(index / 5_000)));
  for (let index = 1; index < ids.length; index++) assert.ok(ids[index - 1]! < ids[index]!, `id ${index} sorts after the one before (${ids[index - 1]} < ${ids[index]})`);
  assert.equal(new Set(ids).size, ids.length, 'no id repeats');
  for (const id of ids) assert.match(id, UUID7);
});

test('a clock that steps back does not make ids go back', () => {
  const later = newCallId(1_900_000_000_000);
  const earlier = newCallId(1_800_000_000_000);
  assert.ok(earlier > later, 'the id after a clock step back still sorts after');
});

test('random parts differ between ids of the same millisecond', () => {
  const a = newCallId(1_950_000_000_000);
  const b = newCallId(1_950_000_000_000);
  assert.notEqual(a.slice(19), b.slice(19), 'rand_b differs');
});
