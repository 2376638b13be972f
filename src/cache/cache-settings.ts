// Resolves `cache` + `cache_params` (litellm_settings or general_settings) into the settings the cache runs on.
import type { ProxyConfig } from '../config/schema.js';
import type { Operation } from '../core/operation.js';
import { ANN_EXPANSION_SEARCH } from './semantic/ann-library.js';

export type CacheType = 'local' | 'redis' | 'redis-semantic' | 'qdrant-semantic';

export interface RedisConnection {
  host: string;
  port: number;
  password: string | null;
  username: string | null;
  db: number;
  tls: boolean;
}

export interface ModelCacheOverride {
  ttlSeconds: number | null;
  sMaxAgeSeconds: number | null;
}

export interface CacheSettings {
  type: CacheType;
  namespace: string | null;
  /** Default entry lifetime; null: entries live until evicted (LiteLLM's Redis default). */
  ttlSeconds: number | null;
  defaultOn: boolean;
  operations: ReadonlySet<Operation>;
  /** Null: no Redis (local or semantic in-process only). */
  redis: RedisConnection | null;
  /** Bound on every Redis call; past it the request goes upstream (fail open). */
  redisTimeoutMs: number;
  /** In-memory store bound. */
  maxBytes: number;
  similarityThreshold: number;
  /** `model_name` of the model_list entry that embeds prompts for the semantic cache. */
  embeddingModel: string | null;
  embeddingTimeoutMs: number;
  /** Semantic cache: vectors indexed in this process across all buckets (`semantic_cache_max_entries`). */
  semanticMaxEntries: number;
  /** Semantic cache: candidates per ANN search (`semantic_cache_search_expansion`). */
  semanticSearchExpansion: number;
  perModel: ReadonlyMap<string, ModelCacheOverride>;
}

/** LiteLLM's call-type names, mapped onto Sluice's operations. */
const CALL_TYPES: Readonly<Record<string, Operation>> = {
  completion: 'chat', acompletion: 'chat', chat: 'chat', chat_completion: 'chat',
  text_completion: 'completion', atext_completion: 'completion',
  embedding: 'embedding', aembedding: 'embedding', embeddings: 'embedding',
};

const DEFAULT_LOCAL_TTL_SECONDS = 600;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_REDIS_TIMEOUT_MS = 50;
const DEFAULT_EMBEDDING_TIMEOUT_MS = 2_000;
/** About 130 MB of index at 1,536 dimensions (docs/caching.md). */
const DEFAULT_SEMANTIC_MAX_ENTRIES = 20_000;

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function numberOr(value: unknown, fallback: number): number {
  const parsed = typeof value === 'string' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

/** Redis from cache_params, else REDIS_URL / REDIS_HOST…, else router_settings.redis_*; null when none. */
export function resolveRedisConnection(params: Record<string, unknown>, config: ProxyConfig, env: NodeJS.ProcessEnv): RedisConnection | null {
  const router = config.router_settings;
  const url = text(params.url) ?? text(params.redis_url) ?? text(env.REDIS_URL) ?? text(router.redis_url);
  if (text(params.host) === null && url !== null) {
    const parsed = new URL(url);
    return {
      host: parsed.hostname || '127.0.0.1',
      port: Number(parsed.port || 6379),
      password: parsed.password === '' ? null : decodeURIComponent(parsed.password),
      username: parsed.username === '' ? null : decodeURIComponent(parsed.username),
      db: Number(parsed.pathname.slice(1) || 0),
      tls: parsed.protocol === 'rediss:',
    };
  }
  const host = text(params.host) ?? text(env.REDIS_HOST) ?? text(router.redis_host);
  if (host === null) return null;
  return {
    host,
    port: numberOr(params.port ?? env.REDIS_PORT ?? router.redis_port, 6379),
    password: text(params.password) ?? text(env.REDIS_PASSWORD) ?? text(router.redis_password),
    username: text(params.username) ?? text(env.REDIS_USERNAME),
    db: 0,
    tls: params.ssl === true,
  };
}

function operationsOf(list: unknown): ReadonlySet<Operation> {
  if (!Array.isArray(list)) return new Set<Operation>(['chat', 'completion', 'embedding']);
  const out = new Set<Operation>();
  for (const name of list) if (typeof name === 'string' && CALL_TYPES[name] !== undefined) out.add(CALL_TYPES[name]!);
  return out;
}

function perModelOf(config: ProxyConfig): Map<string, ModelCacheOverride> {
  const out = new Map<string, ModelCacheOverride>();
  for (const entry of config.model_list) {
    if (entry.cache === undefined) continue;
    out.set(entry.model_name, { ttlSeconds: entry.cache.ttl ?? null, sMaxAgeSeconds: entry.cache.s_max_age ?? null });
  }
  return out;
}

/** Null when caching is off (no `cache: true` in either settings block). */
export function resolveCacheSettings(config: ProxyConfig, env: NodeJS.ProcessEnv): CacheSettings | null {
  const litellm = config.litellm_settings;
  const general = config.general_settings;
  if (litellm.cache !== true && general.cache !== true) return null;
  const params: Record<string, unknown> = { ...(general.cache_params ?? {}), ...(litellm.cache_params ?? {}) };
  const requested = typeof params.type === 'string' ? params.type : 'local';
  const type: CacheType = requested === 'redis' || requested === 'redis-semantic' || requested === 'qdrant-semantic' ? requested : 'local';
  const redis = type === 'local' ? null : resolveRedisConnection(params, config, env);
  const ttl = typeof params.ttl === 'number' ? params.ttl : type === 'local' ? DEFAULT_LOCAL_TTL_SECONDS : null;
  return {
    type: type === 'redis' && redis === null ? 'local' : type,
    namespace: text(params.namespace),
    ttlSeconds: ttl,
    defaultOn: params.mode !== 'default_off',
    operations: operationsOf(params.supported_call_types),
    redis,
    redisTimeoutMs: numberOr(params.redis_timeout_ms, DEFAULT_REDIS_TIMEOUT_MS),
    maxBytes: numberOr(params.max_size_in_memory_bytes, DEFAULT_MAX_BYTES),
    similarityThreshold: typeof params.similarity_threshold === 'number' ? params.similarity_threshold : 0.9,
    embeddingModel: text(params.redis_semantic_cache_embedding_model) ?? text(params.qdrant_semantic_cache_embedding_model) ?? text(params.embedding_model),
    embeddingTimeoutMs: numberOr(params.semantic_cache_embedding_timeout, DEFAULT_EMBEDDING_TIMEOUT_MS / 1000) * 1000,
    semanticMaxEntries: Math.floor(numberOr(params.semantic_cache_max_entries, DEFAULT_SEMANTIC_MAX_ENTRIES)),
    semanticSearchExpansion: Math.floor(numberOr(params.semantic_cache_search_expansion, ANN_EXPANSION_SEARCH)),
    perModel: perModelOf(config),
  };
}
