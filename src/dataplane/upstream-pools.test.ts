import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from 'undici';
import { UpstreamPools } from './upstream-pools.js';

test('pools are undici Pools, one per origin, reused', async () => {
  const pools = new UpstreamPools({ connections: 4, connectTimeoutMs: 1000 });
  const first = pools.get('http://127.0.0.1:1');
  assert.ok(first instanceof Pool, 'the directly required Pool is the package’s Pool class');
  assert.strictEqual(pools.get('http://127.0.0.1:1'), first);
  assert.notStrictEqual(pools.get('http://127.0.0.1:2'), first);
  await pools.close();
});
