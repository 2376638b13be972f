// The one test suite every ResponseCacheStore implementation runs (local and Redis), as Hono does for routers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResponseCacheStore } from '../../src/cache/cache-store.js';

export interface StoreSuiteOptions {
  name: string;
  /** A fresh, empty store whose keys start with the returned namespace. */
  create(): Promise<{ store: ResponseCacheStore; namespace: string }>;
  skip?: string | false;
}

function entry(response: string): { timestamp: number; response: string } {
  return { timestamp: Date.now() / 1000, response };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function runStoreSuite(options: StoreSuiteOptions): void {
  const skip = options.skip ?? false;
  test(`${options.name}: get after set returns the entry; unknown keys miss`, { skip }, async () => {
    const { store, namespace } = await options.create();
    try {
      await store.set(`${namespace}:a`, entry('{"x":1}'), null);
      assert.equal((await store.get(`${namespace}:a`))?.response, '{"x":1}');
      assert.equal(await store.get(`${namespace}:missing`), null);
      const many = await store.getMany([`${namespace}:missing`, `${namespace}:a`]);
      assert.equal(many[0], null);
      assert.equal(many[1]?.response, '{"x":1}');
    } finally {
      await store.close();
    }
  });

  test(`${options.name}: entries expire after their ttl`, { skip }, async () => {
    const { store, namespace } = await options.create();
    try {
      await store.set(`${namespace}:short`, entry('short'), 0.15);
      await store.set(`${namespace}:long`, entry('long'), 60);
      assert.equal((await store.get(`${namespace}:short`))?.response, 'short');
      await sleep(300);
      assert.equal(await store.get(`${namespace}:short`), null);
      assert.equal((await store.get(`${namespace}:long`))?.response, 'long');
    } finally {
      await store.close();
    }
  });

  test(`${options.name}: delete removes keys and flush removes the namespace`, { skip }, async () => {
    const { store, namespace } = await options.create();
    try {
      for (const name of ['a', 'b', 'c']) await store.set(`${namespace}:${name}`, entry(name), 60);
      assert.equal(await store.delete([`${namespace}:a`, `${namespace}:nope`]), 1);
      assert.equal(await store.get(`${namespace}:a`), null);
      assert.equal((await store.get(`${namespace}:b`))?.response, 'b');
      await store.flush();
      assert.equal(await store.get(`${namespace}:b`), null);
      assert.equal(await store.get(`${namespace}:c`), null);
      assert.equal(await store.ping(), true);
    } finally {
      await store.close();
    }
  });

  test(`${options.name}: the stored timestamp survives a round trip (for s-maxage)`, { skip }, async () => {
    const { store, namespace } = await options.create();
    try {
      await store.set(`${namespace}:t`, { timestamp: 1_700_000_000.5, response: 'é "quoted" \n' }, 60);
      const got = await store.get(`${namespace}:t`);
      assert.equal(got?.timestamp, 1_700_000_000.5);
      assert.equal(got?.response, 'é "quoted" \n');
    } finally {
      await store.close();
    }
  });
}
