// LocalStore: the shared store suite plus its byte bound and LRU order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalStore } from './local-store.js';
import { runStoreSuite } from '../../test/support/cache-store-suite.js';

runStoreSuite({ name: 'local', create: async () => ({ store: new LocalStore(1024 * 1024), namespace: 'ns' }) });

test('local: evicts the least recently used entries past the byte bound', () => {
  const store = new LocalStore(3_000);
  const body = 'x'.repeat(400);
  for (const key of ['a', 'b', 'c']) store.set(key, { timestamp: 0, response: body }, null);
  assert.ok(store.get('a') !== null);
  store.set('d', { timestamp: 0, response: body }, null);
  assert.equal(store.get('b'), null, 'b was least recently used');
  assert.ok(store.get('a') !== null);
  assert.ok(store.get('d') !== null);
  assert.ok(store.usedBytes <= 3_000);
});

test('local: an entry larger than the whole bound is not stored', () => {
  const store = new LocalStore(100);
  store.set('big', { timestamp: 0, response: 'y'.repeat(1_000) }, null);
  assert.equal(store.get('big'), null);
  assert.equal(store.size, 0);
});
