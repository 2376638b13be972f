// Start-up of the response cache: the native ANN library is loaded only for a semantic cache, and a library that
// fails to load is a config error at start-up (not a failed request later).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { ConfigError } from '../config/config-problem.js';
import { validateConfigObject } from '../config/load-config.js';
import { buildSnapshot } from '../config/snapshot.js';
import { UpstreamPools } from '../dataplane/upstream-pools.js';
import { createResponseCache } from './create-response-cache.js';

const pools = new UpstreamPools({ connections: 1, connectTimeoutMs: 1_000 });

function snapshotWith(cacheParams: Record<string, unknown>) {
  const { config } = validateConfigObject({
    model_list: [
      { model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_key: 'k', api_base: 'http://127.0.0.1:9/v1' } },
      { model_name: 'embedder', litellm_params: { model: 'openai/text-embedding-3-small', api_key: 'k', api_base: 'http://127.0.0.1:9/v1' } },
    ],
    litellm_settings: { cache: true, cache_params: cacheParams },
  }, {});
  return buildSnapshot(config, {});
}

/** Whether usearch is in this process's CommonJS module cache (the loader requires it). */
function usearchLoaded(): boolean {
  return Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('/node_modules/usearch/'));
}

function ignoreForward(): void {}

test('a local or Redis cache never loads the ANN library; a semantic cache loads it at start-up', async () => {
  const local = createResponseCache(snapshotWith({ type: 'local' }), pools, ignoreForward, {});
  await local!.close();
  assert.equal(usearchLoaded(), false, 'usearch stays unloaded without a semantic cache');
  const semantic = createResponseCache(snapshotWith({ type: 'qdrant-semantic', qdrant_semantic_cache_embedding_model: 'embedder' }), pools, ignoreForward, {});
  assert.equal(usearchLoaded(), true);
  await semantic!.close();
});

test('a semantic cache whose ANN library fails to load is a ConfigError naming the setting and the reason', () => {
  const broken = (): never => {
    throw new Error("Cannot find module 'usearch'\nRequire stack: …");
  };
  assert.throws(
    () => createResponseCache(snapshotWith({ type: 'redis-semantic', redis_semantic_cache_embedding_model: 'embedder' }), pools, ignoreForward, {}, broken),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /litellm_settings\.cache_params\.type/);
      assert.match(error.message, /loading usearch failed: Cannot find module 'usearch'$/m);
      return true;
    },
  );
});
