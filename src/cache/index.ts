// The cache module's public surface for other modules (metrics, auth, the gateway).
export { cacheStats, resetCacheStats, type CacheStats } from './cache-stats.js';
export { allowedCacheControlsOf, type CacheControlName } from './cache-controls.js';
export { createResponseCache } from './create-response-cache.js';
export { handleCacheAdmin, type CacheAdminRoute } from './cache-admin.js';
export type { ResponseCache } from './response-cache.js';
