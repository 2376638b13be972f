// GovernanceState.reload when reads of one entity overlap: the read that started last wins, whatever order they finish in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Row } from '../store/database.js';
import type { Repository } from '../store/repository.js';
import { GovernanceState } from './governance-state.js';

/** A repository whose reads finish only when the test says so, each returning the row as it was when the read began. */
function scriptedRepository() {
  let current: Row | null = { token: 't1', blocked: false, spend: 0 };
  const reads: Array<{ row: Row | null; finish(): void }> = [];
  const repo = {
    get(): Promise<Row | null> {
      const row = current === null ? null : { ...current };
      return new Promise((resolve) => reads.push({ row, finish: () => resolve(row) }));
    },
  } as unknown as Repository;
  return { repo, reads, commit: (row: Row | null) => (current = row) };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

test('a read begun before a commit cannot overwrite one begun after it, even when it finishes later', async () => {
  const { repo, reads, commit } = scriptedRepository();
  const state = new GovernanceState(repo, new Map());
  const stale = state.reload('key', 't1'); // the change poll, reading before the commit
  commit({ token: 't1', blocked: true, spend: 0 });
  const fresh = state.reload('key', 't1'); // the management API's announcement, after the commit
  reads[1]!.finish();
  assert.equal(await fresh, true);
  assert.equal(state.keys.get('t1')?.blocked, true);
  reads[0]!.finish();
  assert.equal(await stale, true);
  await flush();
  assert.equal(state.keys.get('t1')?.blocked, true, 'the older read was not applied');
});

test('an earlier reload resolves only once the latest one has been applied', async () => {
  const { repo, reads, commit } = scriptedRepository();
  const state = new GovernanceState(repo, new Map());
  const first = state.reload('key', 't1');
  commit(null);
  const second = state.reload('key', 't1');
  let firstDone = false;
  void first.then(() => (firstDone = true));
  reads[0]!.finish();
  await flush();
  assert.equal(firstDone, false, 'waits for the newer read');
  reads[1]!.finish();
  assert.equal(await first, false, 'resolves with the newer answer: the key is gone');
  assert.equal(await second, false);
  assert.equal(state.keys.has('t1'), false);
});

test('reloads that do not overlap apply in turn', async () => {
  const { repo, reads, commit } = scriptedRepository();
  const state = new GovernanceState(repo, new Map());
  const first = state.reload('key', 't1');
  reads[0]!.finish();
  await first;
  assert.equal(state.keys.get('t1')?.blocked, false);
  commit({ token: 't1', blocked: true, spend: 0 });
  const second = state.reload('key', 't1');
  reads[1]!.finish();
  await second;
  assert.equal(state.keys.get('t1')?.blocked, true);
});
