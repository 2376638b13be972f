// Process-wide cache counters, read by the metrics exporter (litellm_cache_hits_metric / _misses_metric).

export interface CacheStats {
  hits: number;
  misses: number;
  /** Answers stored. */
  stores: number;
  /** Store calls that failed or timed out (Redis down or slow); each one fell through to the provider. */
  errors: number;
  /** Semantic hits (also counted in `hits`). */
  semanticHits: number;
  /** Embedding items served from the cache (a partial hit counts its items). */
  embeddingItemHits: number;
}

export const cacheStats: CacheStats = { hits: 0, misses: 0, stores: 0, errors: 0, semanticHits: 0, embeddingItemHits: 0 };

export function resetCacheStats(): void {
  cacheStats.hits = 0;
  cacheStats.misses = 0;
  cacheStats.stores = 0;
  cacheStats.errors = 0;
  cacheStats.semanticHits = 0;
  cacheStats.embeddingItemHits = 0;
}
