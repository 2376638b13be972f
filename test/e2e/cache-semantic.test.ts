// Semantic caching: prompts embedded through the configured model_list embedding model (the mock's deterministic
// bag-of-words vectors), hits at or above similarity_threshold, misses below; in process and shared via Redis.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cacheStats } from '../../src/cache/index.js';
import { chatBody, post, sleep } from '../support/cache.js';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { startMockServer, type MockServer } from '../support/mock.js';
import { REDIS_HOST, REDIS_PORT, redisSkip, uniqueNamespace } from '../support/redis.js';

const skip = await redisSkip();
let mock: MockServer;
const auth = { authorization: 'Bearer sk-master' };

function config(type: string, namespace: string, redis: boolean): Record<string, unknown> {
  const params = { api_base: `${mock.url}/v1`, api_key: 'sk-upstream' };
  const cacheParams: Record<string, unknown> = { type, namespace, similarity_threshold: 0.9, redis_semantic_cache_embedding_model: 'embedder', qdrant_semantic_cache_embedding_model: 'embedder' };
  if (redis) Object.assign(cacheParams, { host: REDIS_HOST, port: REDIS_PORT });
  return {
    model_list: [
      { model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', ...params } },
      { model_name: 'embedder', litellm_params: { model: 'openai/text-embedding-3-small', ...params } },
    ],
    litellm_settings: { cache: true, cache_params: cacheParams },
    general_settings: { master_key: 'sk-master' },
  };
}

/** Chat calls the mock received (embedding calls for the cache are counted apart). */
function chatCalls(): number {
  return mock.stats().byPath['/v1/chat/completions'] ?? 0;
}

before(async () => {
  mock = await startMockServer();
});

after(async () => {
  await mock?.close();
});

async function expectSemanticBehaviour(writer: RunningGateway, reader: RunningGateway): Promise<void> {
  const url = (gateway: RunningGateway): string => `${gateway.url}/v1/chat/completions`;
  const tag = Math.random().toString(36).slice(2, 8);
  const original = await post(url(writer), chatBody(`What is the capital of France ${tag}`), auth);
  assert.equal(original.status, 200);
  await sleep(50);
  const calls = chatCalls();
  const semanticBefore = cacheStats.semanticHits;
  // 7 of 8 words shared: cosine ≈ 0.935 ≥ 0.9.
  const similar = await post(url(reader), chatBody(`What is the capital city of France ${tag}`), auth);
  assert.equal(similar.status, 200);
  assert.equal(similar.text, original.text, 'answered from the cache');
  assert.equal(chatCalls(), calls);
  assert.equal(cacheStats.semanticHits - semanticBefore, 1);
  // 6 of 7 words shared: cosine ≈ 0.857 < 0.9.
  const below = await post(url(reader), chatBody(`What is the capital of Spain ${tag}`), auth);
  assert.equal(below.status, 200);
  assert.notEqual(below.json.id, original.json.id);
  assert.equal(chatCalls(), calls + 1);
  const unrelated = await post(url(reader), chatBody(`Tell me a joke about cats ${tag}`), auth);
  assert.notEqual(unrelated.json.id, original.json.id);
  assert.equal(chatCalls(), calls + 2);
  // Other parameters put the prompt in another bucket: no semantic match across temperatures.
  await post(url(reader), chatBody(`What is the capital city of France ${tag}`, { temperature: 0.3 }), auth);
  assert.equal(chatCalls(), calls + 3);
}

describe('semantic cache', () => {
  test('in process (qdrant-semantic without Redis): hit above the threshold, miss below', async () => {
    const gateway = await startGateway(config('qdrant-semantic', uniqueNamespace('sem-local'), false));
    try {
      const embeddingsBefore = mock.stats().byPath['/v1/embeddings'] ?? 0;
      await expectSemanticBehaviour(gateway, gateway);
      assert.ok((mock.stats().byPath['/v1/embeddings'] ?? 0) > embeddingsBefore, 'prompts were embedded through the embedding deployment');
    } finally {
      await gateway.close();
    }
  });

  test('redis-semantic: vectors and answers shared between two gateways', { skip }, async () => {
    const namespace = uniqueNamespace('sem-redis');
    const one = await startGateway(config('redis-semantic', namespace, true));
    const two = await startGateway(config('redis-semantic', namespace, true));
    try {
      await sleep(100);
      await expectSemanticBehaviour(one, two);
    } finally {
      await post(`${one.url}/cache/flushall`, {}, auth);
      await one.close();
      await two.close();
    }
  });
});
