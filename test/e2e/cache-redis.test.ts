// The Redis response cache on the real Redis at 127.0.0.1:6379: two gateways share entries; Redis unreachable,
// slow or stopped mid-traffic never fails a request (fail open, bounded wait).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cacheStats } from '../../src/cache/index.js';
import { chatBody, post, sleep, streamContent } from '../support/cache.js';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { startMockServer, type MockServer } from '../support/mock.js';
import { REDIS_HOST, REDIS_PORT, redisSkip, uniqueNamespace } from '../support/redis.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const skip = await redisSkip();
let mock: MockServer;
const auth = { authorization: 'Bearer sk-master' };

function config(port: number, namespace: string): Record<string, unknown> {
  return {
    model_list: [
      { model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'sk-upstream' } },
      { model_name: 'embedder', litellm_params: { model: 'openai/text-embedding-3-small', api_base: `${mock.url}/v1`, api_key: 'sk-upstream' } },
    ],
    litellm_settings: { cache: true, cache_params: { type: 'redis', host: REDIS_HOST, port, namespace, ttl: 60 } },
    general_settings: { master_key: 'sk-master' },
  };
}

/** Waits until the gateway's cache answers /cache/ping (its Redis client connected). */
async function cacheReady(gateway: RunningGateway): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await fetch(`${gateway.url}/cache/ping`, { headers: auth })).status === 200) return;
    await sleep(20);
  }
  throw new Error('cache never became ready');
}

let counter = 0;
const prompt = (label: string): string => `${label} ${++counter} ${Date.now()}`;

before(async () => {
  mock = await startMockServer();
});

after(async () => {
  await mock?.close();
});

describe('shared Redis', { skip }, () => {
  let one: RunningGateway;
  let two: RunningGateway;

  before(async () => {
    const namespace = uniqueNamespace('shared');
    one = await startGateway(config(REDIS_PORT, namespace));
    two = await startGateway(config(REDIS_PORT, namespace));
    await Promise.all([cacheReady(one), cacheReady(two)]);
  });

  after(async () => {
    await post(`${one.url}/cache/flushall`, {}, auth);
    await one?.close();
    await two?.close();
  });

  test('an answer cached by one gateway is a hit on the other (plain and streamed)', async () => {
    const body = chatBody(prompt('shared'));
    const first = await post(`${one.url}/v1/chat/completions`, body, auth);
    await sleep(30);
    const calls = mock.stats().requests;
    const second = await post(`${two.url}/v1/chat/completions`, body, auth);
    assert.equal(second.text, first.text);
    assert.equal(second.headers.get('x-litellm-cache-key'), first.headers.get('x-litellm-cache-key'));
    const streamed = await post(`${two.url}/v1/chat/completions`, { ...body, stream: true }, auth);
    assert.equal(streamContent(streamed.text).content, (first.json.choices as Array<{ message: { content: string } }>)[0]!.message.content);
    assert.equal(mock.stats().requests, calls);
  });

  test('TTL expiry and embeddings partial hits across gateways', async () => {
    const text = prompt('ttl');
    await post(`${one.url}/v1/chat/completions`, chatBody(text, { cache: { ttl: 0.3 } }), auth);
    await sleep(30);
    let calls = mock.stats().requests;
    await post(`${two.url}/v1/chat/completions`, chatBody(text), auth);
    assert.equal(mock.stats().requests, calls);
    await sleep(400);
    await post(`${two.url}/v1/chat/completions`, chatBody(text), auth);
    assert.equal(mock.stats().requests, calls + 1);

    const [a, b] = [prompt('emb-a'), prompt('emb-b')];
    await post(`${one.url}/v1/embeddings`, { model: 'embedder', input: [a] }, auth);
    await sleep(30);
    calls = mock.stats().requests;
    const batch = await post(`${two.url}/v1/embeddings`, { model: 'embedder', input: [b, a] }, auth);
    assert.equal(mock.stats().requests, calls + 1);
    assert.deepEqual((batch.json.data as Array<{ index: number }>).map((item) => item.index), [0, 1]);
  });
});

describe('Redis away', { skip }, () => {
  test('unreachable Redis (closed port): every request is answered upstream, quickly', async () => {
    const gateway = await startGateway(config(1, uniqueNamespace('closed')));
    try {
      const errorsBefore = cacheStats.errors;
      for (let index = 0; index < 3; index++) {
        const started = performance.now();
        const answer = await post(`${gateway.url}/v1/chat/completions`, chatBody('same question'), auth);
        assert.equal(answer.status, 200);
        assert.ok(performance.now() - started < 1_000);
      }
      assert.ok(cacheStats.errors > errorsBefore, 'failures are counted');
      assert.equal((await fetch(`${gateway.url}/cache/ping`, { headers: auth })).status, 503);
    } finally {
      await gateway.close();
    }
  });

  describe('through a proxy that is slowed, then stopped mid-traffic', () => {
    let proxy: TcpProxy;
    let gateway: RunningGateway;

    before(async () => {
      proxy = await startTcpProxy(REDIS_HOST, REDIS_PORT);
      gateway = await startGateway(config(proxy.port, uniqueNamespace('proxy')));
      await cacheReady(gateway);
    });

    after(async () => {
      proxy.delayMs = 0;
      await post(`${gateway.url}/cache/flushall`, {}, auth).catch(() => undefined);
      await gateway?.close();
      await proxy.stop().catch(() => undefined);
    });

    test('hits while Redis is up; slow Redis times out to the provider; stopped Redis fails open; recovery', async () => {
      const url = `${gateway.url}/v1/chat/completions`;
      const body = chatBody(prompt('midtraffic'));
      await post(url, body, auth);
      await sleep(30);
      let calls = mock.stats().requests;
      assert.equal((await post(url, body, auth)).status, 200);
      assert.equal(mock.stats().requests, calls, 'hit while Redis is up');

      proxy.delayMs = 300;
      const slowStarted = performance.now();
      assert.equal((await post(url, body, auth)).status, 200);
      assert.ok(performance.now() - slowStarted < 250, 'the lookup gave up after its short timeout');
      assert.equal(mock.stats().requests, calls + 1, 'slow Redis: answered by the provider');
      proxy.delayMs = 0;

      await proxy.stop();
      calls = mock.stats().requests;
      const answers = await Promise.all(Array.from({ length: 10 }, () => post(url, body, auth)));
      for (const answer of answers) assert.equal(answer.status, 200);
      assert.equal(mock.stats().requests, calls + 10, 'Redis stopped: every request went upstream');

      await proxy.start();
      await cacheReady(gateway);
      await post(url, body, auth);
      await sleep(30);
      calls = mock.stats().requests;
      await post(url, body, auth);
      assert.equal(mock.stats().requests, calls, 'hits again after Redis came back');
    });
  });
});
