// The in-memory response cache end to end: hits, misses, every control, TTL, s-maxage, namespaces, streams, embeddings.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { cacheStats } from '../../src/cache/index.js';
import type { RequestOutcome } from '../../src/dataplane/request-outcome.js';
import { chatBody, contentOf, post, sleep, streamContent } from '../support/cache.js';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { startMockServer, type MockServer } from '../support/mock.js';

let mock: MockServer;
let gateway: RunningGateway;
let chatUrl: string;
const outcomes: RequestOutcome[] = [];

function upstreamCalls(): number {
  return mock.stats().requests;
}

let unique = 0;
/** A prompt no other test uses, so each test starts from a miss. */
function prompt(label: string): string {
  return `${label} ${++unique} ${Date.now()}`;
}

before(async () => {
  mock = await startMockServer();
  const params = { api_base: `${mock.url}/v1`, api_key: 'sk-upstream' };
  gateway = await startGateway(
    {
      model_list: [
        { model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', ...params } },
        { model_name: 'gpt-short', litellm_params: { model: 'openai/gpt-4o', ...params }, cache: { ttl: 0.3 } },
        { model_name: 'gpt-fresh', litellm_params: { model: 'openai/gpt-4o', ...params }, cache: { s_max_age: 0.3 } },
        { model_name: 'embedder', litellm_params: { model: 'openai/text-embedding-3-small', ...params } },
        { model_name: 'claude', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: mock.url, api_key: 'sk-ant-test' } },
      ],
      litellm_settings: { cache: true, cache_params: { type: 'local', ttl: 60, namespace: 'e2e' } },
      general_settings: { master_key: 'sk-master' },
    },
    { observers: [{ onRequestFinished: (outcome) => outcomes.push(outcome) }] },
  );
  chatUrl = `${gateway.url}/v1/chat/completions`;
});

after(async () => {
  await gateway?.close();
  await mock?.close();
});

const auth = { authorization: 'Bearer sk-master' };

describe('hits and misses', () => {
  test('a repeated request is answered from the cache: same body, key header, no upstream call, cacheHit outcome', async () => {
    const body = chatBody(prompt('hit'));
    const hitsBefore = cacheStats.hits;
    const missesBefore = cacheStats.misses;
    const first = await post(chatUrl, body, auth);
    assert.equal(first.status, 200);
    const key = first.headers.get('x-litellm-cache-key');
    assert.match(key ?? '', /^e2e:[0-9a-f]{64}$/);
    const calls = upstreamCalls();
    const second = await post(chatUrl, body, auth);
    assert.equal(second.status, 200);
    assert.equal(second.text, first.text);
    assert.equal(second.headers.get('x-litellm-cache-key'), key);
    assert.equal(second.headers.get('x-litellm-response-cost'), '0');
    assert.equal(upstreamCalls(), calls);
    assert.equal(cacheStats.hits - hitsBefore, 1);
    assert.equal(cacheStats.misses - missesBefore, 1);
    await sleep(20);
    const last = outcomes.at(-1)!;
    assert.equal(last.cacheHit, true);
    assert.equal(last.status, 200);
    assert.equal(outcomes.at(-2)!.cacheHit, false);
  });

  test('different parameters or model groups miss', async () => {
    const text = prompt('params');
    await post(chatUrl, chatBody(text), auth);
    const calls = upstreamCalls();
    await post(chatUrl, chatBody(text, { temperature: 0.1 }), auth);
    await post(chatUrl, chatBody(text, { model: 'gpt-short' }), auth);
    assert.equal(upstreamCalls(), calls + 2);
  });

  test('the official client gets the cached answer too', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-master', maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: prompt('sdk') }];
    const first = await client.chat.completions.create({ model: 'gpt', messages });
    const calls = upstreamCalls();
    const second = await client.chat.completions.create({ model: 'gpt', messages });
    assert.equal(second.id, first.id);
    assert.equal(second.choices[0]!.message.content, first.choices[0]!.message.content);
    assert.equal(upstreamCalls(), calls);
  });
});

describe('per-request controls', () => {
  test('body no-cache skips the lookup but stores the fresh answer', async () => {
    const body = chatBody(prompt('nocache'));
    const first = await post(chatUrl, body, auth);
    const calls = upstreamCalls();
    const fresh = await post(chatUrl, { ...body, cache: { 'no-cache': true } }, auth);
    assert.equal(upstreamCalls(), calls + 1);
    assert.notEqual(fresh.json.id, first.json.id);
    const after = await post(chatUrl, body, auth);
    assert.equal(after.json.id, fresh.json.id, 'the no-cache answer replaced the entry');
  });

  test('Cache-Control: no-cache header skips the lookup', async () => {
    const body = chatBody(prompt('nocache-header'));
    await post(chatUrl, body, auth);
    const calls = upstreamCalls();
    await post(chatUrl, body, { ...auth, 'cache-control': 'no-cache' });
    assert.equal(upstreamCalls(), calls + 1);
  });

  test('no-store (body and header) answers without storing', async () => {
    for (const variant of ['body', 'header'] as const) {
      const text = prompt(`nostore-${variant}`);
      const body = variant === 'body' ? chatBody(text, { cache: { 'no-store': true } }) : chatBody(text);
      const headers = variant === 'header' ? { ...auth, 'cache-control': 'no-store' } : auth;
      await post(chatUrl, body, headers);
      const calls = upstreamCalls();
      await post(chatUrl, chatBody(text), auth);
      assert.equal(upstreamCalls(), calls + 1, `${variant}: nothing was stored`);
    }
  });

  test('body ttl and Cache-Control max-age set the entry lifetime', async () => {
    for (const variant of ['body', 'header'] as const) {
      const text = prompt(`ttl-${variant}`);
      const body = variant === 'body' ? chatBody(text, { cache: { ttl: 0.25 } }) : chatBody(text);
      const headers = variant === 'header' ? { ...auth, 'cache-control': 'max-age=0.25' } : auth;
      await post(chatUrl, body, headers);
      const calls = upstreamCalls();
      await post(chatUrl, chatBody(text), auth);
      assert.equal(upstreamCalls(), calls, `${variant}: still fresh`);
      await sleep(400);
      await post(chatUrl, chatBody(text), auth);
      assert.equal(upstreamCalls(), calls + 1, `${variant}: expired`);
    }
  });

  test('s-maxage (body and header) refuses entries older than asked', async () => {
    const text = prompt('smaxage');
    await post(chatUrl, chatBody(text), auth);
    await sleep(300);
    let calls = upstreamCalls();
    await post(chatUrl, chatBody(text, { cache: { 's-maxage': 10 } }), auth);
    assert.equal(upstreamCalls(), calls, 'young enough');
    await post(chatUrl, chatBody(text, { cache: { 's-maxage': 0.1 } }), auth);
    assert.equal(upstreamCalls(), calls + 1, 'too old: refreshed');
    await sleep(300);
    calls = upstreamCalls();
    await post(chatUrl, chatBody(text), { ...auth, 'cache-control': 's-maxage=0.1' });
    assert.equal(upstreamCalls(), calls + 1);
  });

  test('namespaces (body and metadata.redis_namespace) keep entries apart', async () => {
    const text = prompt('namespace');
    const a = await post(chatUrl, chatBody(text, { cache: { namespace: 'team-a' } }), auth);
    assert.match(a.headers.get('x-litellm-cache-key')!, /^team-a:/);
    const calls = upstreamCalls();
    await post(chatUrl, chatBody(text, { cache: { namespace: 'team-b' } }), auth);
    assert.equal(upstreamCalls(), calls + 1);
    const again = await post(chatUrl, chatBody(text, { metadata: { redis_namespace: 'team-a' } }), auth);
    assert.equal(again.json.id, a.json.id);
    assert.equal(upstreamCalls(), calls + 1);
    await post(chatUrl, chatBody(text), auth);
    assert.equal(upstreamCalls(), calls + 2, 'the default namespace is a third one');
  });
});

describe('per-model cache settings', () => {
  test('model_list cache.ttl expires entries of that model', async () => {
    const body = chatBody(prompt('model-ttl'), { model: 'gpt-short' });
    await post(chatUrl, body, auth);
    const calls = upstreamCalls();
    await post(chatUrl, body, auth);
    assert.equal(upstreamCalls(), calls);
    await sleep(450);
    await post(chatUrl, body, auth);
    assert.equal(upstreamCalls(), calls + 1);
  });

  test('model_list cache.s_max_age bounds the age of answers served', async () => {
    const body = chatBody(prompt('model-smax'), { model: 'gpt-fresh' });
    await post(chatUrl, body, auth);
    const calls = upstreamCalls();
    await post(chatUrl, body, auth);
    assert.equal(upstreamCalls(), calls);
    await sleep(450);
    await post(chatUrl, body, auth);
    assert.equal(upstreamCalls(), calls + 1);
  });
});

describe('streams', () => {
  test('a streamed answer is stored and a streamed hit replays the same content, with usage when asked', async () => {
    const body = chatBody(prompt('stream'), { stream: true, stream_options: { include_usage: true } });
    const first = await post(chatUrl, body, auth);
    assert.equal(first.status, 200);
    const original = streamContent(first.text);
    assert.ok(original.done && original.content.length > 0);
    await sleep(20);
    const calls = upstreamCalls();
    const replay = await post(chatUrl, body, auth);
    assert.equal(upstreamCalls(), calls);
    assert.match(replay.headers.get('content-type')!, /text\/event-stream/);
    const replayed = streamContent(replay.text);
    assert.equal(replayed.content, original.content);
    assert.equal(replayed.done, true);
    assert.deepEqual(replayed.usage, original.usage);
    const plain = await post(chatUrl, chatBody(body.messages ? (body.messages as Array<{ content: string }>)[0]!.content : ''), auth);
    assert.equal(contentOf(plain), original.content, 'a plain request hits the assembled stream entry');
    assert.equal(upstreamCalls(), calls);
  });

  test('the official client streams a cached answer', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-master', maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: prompt('sdk-stream') }];
    const first = await client.chat.completions.create({ model: 'gpt', messages });
    const calls = upstreamCalls();
    const stream = await client.chat.completions.create({ model: 'gpt', messages, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, first.choices[0]!.message.content);
    assert.equal(upstreamCalls(), calls);
  });
});

describe('native (translated) providers', () => {
  test('an Anthropic answer, plain or streamed, is stored in OpenAI form and served from the cache', async () => {
    const plainBody = chatBody(prompt('claude-plain'), { model: 'claude' });
    const first = await post(chatUrl, plainBody, auth);
    assert.equal(first.status, 200);
    let calls = upstreamCalls();
    const again = await post(chatUrl, { ...plainBody, stream: true }, auth);
    assert.equal(upstreamCalls(), calls);
    assert.equal(streamContent(again.text).content, contentOf(first));

    const streamBody = chatBody(prompt('claude-stream'), { model: 'claude', stream: true });
    const streamed = await post(chatUrl, streamBody, auth);
    const original = streamContent(streamed.text);
    assert.ok(original.done && original.content.length > 0);
    await sleep(20);
    calls = upstreamCalls();
    const replay = await post(chatUrl, streamBody, auth);
    assert.equal(streamContent(replay.text).content, original.content);
    const plain = await post(chatUrl, { ...streamBody, stream: false }, auth);
    assert.equal(contentOf(plain), original.content);
    assert.equal(upstreamCalls(), calls);
  });
});

describe('embeddings', () => {
  const url = (): string => `${gateway.url}/v1/embeddings`;

  test('a batch with some cached items sends only the rest upstream and merges in order', async () => {
    const a = prompt('emb-a');
    const b = prompt('emb-b');
    const c = prompt('emb-c');
    const single = await post(url(), { model: 'embedder', input: b }, auth);
    const firstA = await post(url(), { model: 'embedder', input: [a] }, auth);
    const calls = upstreamCalls();
    const batch = await post(url(), { model: 'embedder', input: [a, c, b] }, auth);
    assert.equal(batch.status, 200);
    assert.equal(upstreamCalls(), calls + 1);
    const upstream = (await (await fetch(`${mock.url}/mock/last`)).json()) as { body: { input: unknown } };
    assert.deepEqual(upstream.body.input, [c], 'only the uncached item went upstream');
    const data = batch.json.data as Array<{ index: number; embedding: number[] }>;
    assert.deepEqual(data.map((item) => item.index), [0, 1, 2]);
    assert.deepEqual(data[0]!.embedding, (firstA.json.data as Array<{ embedding: number[] }>)[0]!.embedding);
    assert.deepEqual(data[2]!.embedding, (single.json.data as Array<{ embedding: number[] }>)[0]!.embedding);
    assert.ok((batch.json.usage as { prompt_tokens: number }).prompt_tokens > 0);
    const all = await post(url(), { model: 'embedder', input: [c, b, a] }, auth);
    assert.equal(upstreamCalls(), calls + 1, 'every item cached now');
    assert.deepEqual((all.json.data as Array<{ embedding: number[] }>)[0]!.embedding, data[1]!.embedding);
    assert.deepEqual((all.json.data as Array<{ index: number }>).map((item) => item.index), [0, 1, 2]);
  });

  test('the official client (base64 encoding) gets cached vectors', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-master', maxRetries: 0 });
    const input = [prompt('sdk-emb-1'), prompt('sdk-emb-2')];
    const first = await client.embeddings.create({ model: 'embedder', input });
    const calls = upstreamCalls();
    const second = await client.embeddings.create({ model: 'embedder', input });
    assert.equal(upstreamCalls(), calls);
    assert.deepEqual(second.data[1]!.embedding, first.data[1]!.embedding);
  });
});

describe('/cache management routes', () => {
  test('ping, delete and flushall need the master key and act on the cache', async () => {
    const ping = await fetch(`${gateway.url}/cache/ping`, { headers: auth });
    assert.equal(ping.status, 200);
    assert.equal(((await ping.json()) as { status: string }).status, 'healthy');
    assert.equal((await fetch(`${gateway.url}/cache/ping`)).status, 401);
    const readiness = (await (await fetch(`${gateway.url}/health/readiness`)).json()) as { cache: string };
    assert.equal(readiness.cache, 'local');
    const body = chatBody(prompt('delete'));
    const first = await post(chatUrl, body, auth);
    const key = first.headers.get('x-litellm-cache-key')!;
    const deleted = await post(`${gateway.url}/cache/delete`, { keys: [key] }, auth);
    assert.deepEqual(deleted.json, { status: 'success' });
    let calls = upstreamCalls();
    await post(chatUrl, body, auth);
    assert.equal(upstreamCalls(), calls + 1);
    const bad = await post(`${gateway.url}/cache/delete`, { keys: 'nope' }, auth);
    assert.equal(bad.status, 400);
    assert.equal((bad.json.error as { param: string }).param, 'keys');
    const flushed = await post(`${gateway.url}/cache/flushall`, {}, auth);
    assert.equal(flushed.status, 200);
    calls = upstreamCalls();
    await post(chatUrl, body, auth);
    assert.equal(upstreamCalls(), calls + 1);
  });
});

describe('mode and call types', () => {
  test('default_off caches only requests with use-cache; supported_call_types leaves other calls alone', async () => {
    const params = { api_base: `${mock.url}/v1`, api_key: 'sk-upstream' };
    const optIn = await startGateway({
      model_list: [
        { model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', ...params } },
        { model_name: 'embedder', litellm_params: { model: 'openai/text-embedding-3-small', ...params } },
      ],
      general_settings: { cache: true, cache_params: { type: 'local', mode: 'default_off', supported_call_types: ['acompletion', 'completion'] } },
    });
    try {
      const url = `${optIn.url}/v1/chat/completions`;
      const body = chatBody(prompt('default-off'));
      const plain = await post(url, body);
      assert.equal(plain.headers.get('x-litellm-cache-key'), null, 'not consulted without use-cache');
      let calls = upstreamCalls();
      await post(url, body);
      assert.equal(upstreamCalls(), calls + 1);
      const opted = { ...body, cache: { 'use-cache': true } };
      await post(url, opted);
      calls = upstreamCalls();
      await post(url, opted);
      assert.equal(upstreamCalls(), calls, 'use-cache: hit');
      const embedding = { model: 'embedder', input: prompt('not-cached'), cache: { 'use-cache': true } };
      await post(`${optIn.url}/v1/embeddings`, embedding);
      calls = upstreamCalls();
      await post(`${optIn.url}/v1/embeddings`, embedding);
      assert.equal(upstreamCalls(), calls + 1, 'embeddings are not a supported call type here');
    } finally {
      await optIn.close();
    }
  });
});
