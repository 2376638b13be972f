// Semantic caching: prompts embedded through the configured model_list embedding model (the mock's deterministic
// bag-of-words vectors), hits at or above similarity_threshold, misses below; in process and shared via Redis.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cacheStats } from '../../src/cache/index.js';
import { chatBody, post, sleep } from '../support/cache.js';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { startMockServer, type MockServer } from '../support/mock.js';
import { startGovernedGateway, sqliteUrl, MASTER_KEY } from '../support/governed-gateway.js';
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

  test('answers are shared only within a key, or within a team for the team\'s keys', async () => {
    const base = config('qdrant-semantic', uniqueNamespace('sem-scope'), false);
    const gateway = await startGovernedGateway({ ...base, general_settings: { master_key: MASTER_KEY } }, sqliteUrl());
    try {
      const key = async (body: Record<string, unknown>): Promise<string> => (await gateway.admin('/key/generate', body)).json.key as string;
      await gateway.admin('/team/new', { team_id: 'sem-team' });
      const [alone, other, teamA, teamB] = [await key({}), await key({}), await key({ team_id: 'sem-team' }), await key({ team_id: 'sem-team' })];
      const url = `${gateway.url}/v1/chat/completions`;
      const tag = Math.random().toString(36).slice(2, 8);
      const ask = (apiKey: string, words: string) => post(url, chatBody(`${words} ${tag}`), { authorization: `Bearer ${apiKey}` });

      const first = await ask(alone, 'What is the capital of France');
      assert.equal(first.status, 200, first.text);
      await sleep(50);
      let calls = chatCalls();
      assert.equal((await ask(alone, 'What is the capital city of France')).text, first.text, 'the same key hits its own entry');
      assert.equal(chatCalls(), calls);
      const stranger = await ask(other, 'What is the capital city of France');
      assert.equal(stranger.status, 200);
      assert.notEqual(stranger.json.id, first.json.id, "another key never gets this key's answer");
      assert.equal(chatCalls(), calls + 1);

      const teamFirst = await ask(teamA, 'Name the largest planet of the solar system');
      await sleep(50);
      calls = chatCalls();
      assert.equal((await ask(teamB, 'Name the largest planet in the solar system')).text, teamFirst.text, 'keys of one team share answers');
      assert.equal(chatCalls(), calls);
      assert.notEqual((await ask(alone, 'Name the largest planet in the solar system')).json.id, teamFirst.json.id, "a key outside the team does not get the team's answer");
    } finally {
      await gateway.close();
    }
  });
});
