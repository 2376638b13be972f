import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryOwnershipStore, type OwnedKind, type OwnedObject } from './ownership-store.js';

test('objects are found by id and listed per owner; deletes and persistence hooks follow', () => {
  const saved: string[] = [];
  const deleted: string[] = [];
  const store = new InMemoryOwnershipStore({ saved: (o) => saved.push(o.id), deleted: (_k: OwnedKind, id: string) => deleted.push(id) });
  const object = (id: string, owner: string, kind: OwnedKind = 'file'): OwnedObject => ({ kind, id, owner, deploymentId: 'd1', createdAt: 1 });
  store.put(object('file-a', 'alice'));
  store.put(object('file-b', 'bob'));
  store.put(object('batch_a', 'alice', 'batch'));
  assert.equal(store.get('file', 'file-a')?.owner, 'alice');
  assert.equal(store.get('batch', 'file-a'), undefined, 'kinds are separate');
  assert.deepEqual([...store.idsOf('file', 'alice')], ['file-a']);
  assert.deepEqual([...store.idsOf('file', 'bob')], ['file-b']);
  assert.equal(store.idsOf('file', 'carol').size, 0);
  store.delete('file', 'file-a');
  assert.equal(store.get('file', 'file-a'), undefined);
  assert.equal(store.idsOf('file', 'alice').size, 0);
  assert.deepEqual(saved, ['file-a', 'file-b', 'batch_a']);
  assert.deepEqual(deleted, ['file-a']);
  const reloaded = new InMemoryOwnershipStore(null, [object('file-z', 'zed')]);
  assert.equal(reloaded.get('file', 'file-z')?.owner, 'zed');
});
