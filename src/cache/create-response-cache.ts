// Builds the configured cache at start-up (null when caching is off, so the hot path skips the stage entirely).
import { ConfigError } from '../config/config-problem.js';
import type { RuntimeSnapshot } from '../config/snapshot.js';
import type { UpstreamPools } from '../dataplane/upstream-pools.js';
import { registerReadinessProbe } from '../health/readiness-probes.js';
import { logger } from '../logging/logger.js';
import { resolveCacheSettings } from './cache-settings.js';
import type { ResponseCacheStore } from './cache-store.js';
import { LocalStore } from './local-store.js';
import { RedisStore, createRedisClient } from './redis-store.js';
import { ResponseCache, type ForwardRequest, type SemanticSetup } from './response-cache.js';
import { ANN_PACKAGE, loadAnnLibrary, type AnnIndexFactory } from './semantic/ann-library.js';
import { SemanticIndex } from './semantic/semantic-index.js';

function isSemantic(type: string): boolean {
  return type === 'redis-semantic' || type === 'qdrant-semantic';
}

/** The ANN library, loaded now (start-up) so that a missing or broken native binary is a config error, not a failed request. */
function annIndexFactory(load: () => AnnIndexFactory, type: string): AnnIndexFactory {
  try {
    return load();
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0] ?? 'an error';
    throw new ConfigError([{
      path: 'litellm_settings.cache_params.type',
      expected: `a semantic cache whose ANN library loads (npm package \`${ANN_PACKAGE}\`: reinstall with \`npm ci\`, or use type: redis)`,
      found: `${type}, and loading ${ANN_PACKAGE} failed: ${reason}`,
    }]);
  }
}

export function createResponseCache(
  snapshot: RuntimeSnapshot, pools: UpstreamPools, forward: ForwardRequest, env: NodeJS.ProcessEnv = process.env, loadAnn: () => AnnIndexFactory = loadAnnLibrary,
): ResponseCache | null {
  const settings = resolveCacheSettings(snapshot.config, env);
  if (settings === null) return null;
  const redisClient = settings.redis === null ? null : createRedisClient(settings.redis, settings.redisTimeoutMs);
  const store: ResponseCacheStore = redisClient === null ? new LocalStore(settings.maxBytes) : new RedisStore(redisClient, settings.namespace);
  let semantic: SemanticSetup | null = null;
  if (isSemantic(settings.type)) {
    const group = settings.embeddingModel === null ? undefined : snapshot.groups.get(settings.embeddingModel);
    if (group === undefined) {
      logger.warn({ embeddingModel: settings.embeddingModel }, 'semantic cache needs an embedding model from model_list (cache_params.redis_semantic_cache_embedding_model); using exact-match caching');
    } else {
      const createIndex = annIndexFactory(loadAnn, settings.type);
      semantic = { index: new SemanticIndex(redisClient, settings.namespace, { createIndex, maxEntries: settings.semanticMaxEntries, searchWidth: settings.semanticSearchExpansion }), embeddingGroup: group, pools };
    }
  }
  logger.info({ type: settings.type, store: store.kind, semantic: semantic !== null, namespace: settings.namespace }, 'response cache enabled');
  const cache = new ResponseCache(settings, store, forward, semantic);
  // `/health/readiness` shows the cache type (LiteLLM's `cache` field); a cache that fails open never makes it 503.
  cache.onClose = registerReadinessProbe('cache', async () => ((await store.ping()) ? { ok: true, status: settings.type } : { ok: false, status: `${settings.type} unreachable` }), { required: false, timeoutMs: 500 });
  return cache;
}
