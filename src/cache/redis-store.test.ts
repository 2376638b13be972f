// RedisStore on the real Redis at 127.0.0.1:6379: the shared store suite, and failing open when Redis is away.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redisSkip, uniqueNamespace, REDIS_HOST, REDIS_PORT } from '../../test/support/redis.js';
import { cacheStats } from './cache-stats.js';
import { RedisStore, createRedisClient } from './redis-store.js';
import { runStoreSuite } from '../../test/support/cache-store-suite.js';

const skip = await redisSkip();

function connection(port: number) {
  return { host: REDIS_HOST, port, password: null, username: null, db: 0, tls: false };
}

runStoreSuite({
  name: 'redis',
  skip,
  create: async () => {
    const namespace = uniqueNamespace('store');
    const client = createRedisClient(connection(REDIS_PORT), 500);
    await new Promise<void>((resolve) => (client.status === 'ready' ? resolve() : client.once('ready', () => resolve())));
    return { store: new RedisStore(client, namespace), namespace };
  },
});

test('redis: an unreachable server makes every call a quick miss, never an exception', async () => {
  const store = new RedisStore(createRedisClient(connection(1), 50), 'unreachable');
  try {
    const errorsBefore = cacheStats.errors;
    const started = performance.now();
    assert.equal(await store.get('k'), null);
    assert.deepEqual(await store.getMany(['a', 'b']), [null, null]);
    await store.set('k', { timestamp: 0, response: 'x' }, 10);
    assert.ok(performance.now() - started < 200, 'fails fast');
    assert.equal(cacheStats.errors - errorsBefore, 3);
    assert.equal(await store.ping(), false);
  } finally {
    await store.close();
  }
});
