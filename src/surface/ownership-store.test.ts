// One suite for every OwnershipStore: in memory, the SQL table (SQLite in memory and on a file), and the cache in front
// of a shared store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../store/database.js';
import { migrate } from '../store/migrate.js';
import { OwnedObjectsTable } from '../store/owned-objects-table.js';
import { CachedOwnershipStore } from './cached-ownership-store.js';
import { InMemoryOwnershipStore, type OwnedKind, type OwnedObject, type OwnershipStore } from './ownership-store.js';

const object = (id: string, owner: string, kind: OwnedKind = 'file'): OwnedObject => ({ kind, id, owner, deploymentId: 'd1', createdAt: 1_700_000_000_000 });

async function conforms(store: OwnershipStore): Promise<void> {
  await store.put(object('file-a', 'alice'));
  await store.put(object('file-b', 'bob'));
  await store.put(object('batch_a', 'alice', 'batch'));
  await store.put(object('file-a', 'mallory'));
  assert.deepEqual(await store.get('file', 'file-a'), object('file-a', 'alice'), 'the first owner stays');
  assert.equal(await store.get('batch', 'file-a'), undefined, 'kinds are separate');
  assert.deepEqual([...(await store.ownedAmong('file', 'alice', ['file-a', 'file-b', 'file-x']))], ['file-a']);
  assert.deepEqual([...(await store.ownedAmong('file', 'bob', ['file-a', 'file-b']))], ['file-b']);
  assert.equal((await store.ownedAmong('file', 'carol', ['file-a'])).size, 0);
  assert.equal(await store.claimUsage('batch_a'), true);
  assert.equal(await store.claimUsage('batch_a'), false, 'usage is claimed once');
  await store.delete('file', 'file-a');
  assert.equal(await store.get('file', 'file-a'), undefined);
  assert.equal((await store.ownedAmong('file', 'alice', ['file-a'])).size, 0);
}

async function withDatabase(url: string, run: (database: Database) => Promise<void>): Promise<void> {
  const database = openDatabase(url);
  try {
    await migrate(database);
    await run(database);
  } finally {
    await database.close();
  }
}

test('in memory', async () => {
  await conforms(new InMemoryOwnershipStore());
});

test('the SQL table on SQLite, in memory and on a file', async () => {
  await withDatabase('sqlite://:memory:', (database) => conforms(new OwnedObjectsTable(database)));
  const file = join(mkdtempSync(join(tmpdir(), 'sluice-owned-')), 'owned.db');
  await withDatabase(`sqlite://${file}`, async (database) => {
    await conforms(new OwnedObjectsTable(database));
    // A long list page is asked for in chunks.
    const table = new OwnedObjectsTable(database);
    for (let index = 0; index < 1200; index += 1) await table.put(object(`file-${index}`, index % 2 === 0 ? 'even' : 'odd'));
    const ids = Array.from({ length: 1200 }, (_, index) => `file-${index}`);
    assert.equal((await table.ownedAmong('file', 'even', ids)).size, 600);
  });
});

test('two caches over one shared store see each other\'s objects; a failing store degrades, not fails', async () => {
  const shared = new InMemoryOwnershipStore();
  const one = new CachedOwnershipStore(shared);
  const two = new CachedOwnershipStore(shared);
  await conforms(one);
  await one.put(object('file-z', 'zed'));
  assert.equal((await two.get('file', 'file-z'))?.owner, 'zed', 'found through the shared store');
  assert.equal(await two.claimUsage('batch_a'), false, 'claimed by the other cache already');

  let up = false;
  const flaky: OwnershipStore = {
    put: (o) => (up ? shared.put(o) : Promise.reject(new Error('down'))),
    get: (k, id) => (up ? shared.get(k, id) : Promise.reject(new Error('down'))),
    delete: (k, id) => shared.delete(k, id),
    ownedAmong: (k, o, ids) => (up ? shared.ownedAmong(k, o, ids) : Promise.reject(new Error('down'))),
    claimUsage: (id) => (up ? shared.claimUsage(id) : Promise.reject(new Error('down'))),
  };
  const cache = new CachedOwnershipStore(flaky);
  await cache.put(object('file-late', 'lee'));
  assert.equal((await cache.get('file', 'file-late'))?.owner, 'lee', 'kept in the cache while the store is down');
  await assert.rejects(cache.get('file', 'file-unknown'), (error: { status: number }) => error.status === 503);
  assert.equal(await cache.claimUsage('batch_q'), true);
  assert.equal(await cache.claimUsage('batch_q'), false);
  up = true;
  await cache.close();
  assert.equal((await shared.get('file', 'file-late'))?.owner, 'lee', 'the pending write landed');
});
