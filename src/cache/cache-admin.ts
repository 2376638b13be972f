// LiteLLM's /cache/ping, /cache/delete and /cache/flushall management routes (control plane, not the hot path).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, invalidRequest, writeError } from '../core/errors.js';
import { isJsonObject } from '../core/json.js';
import type { ResponseCache } from './response-cache.js';

export type CacheAdminRoute = 'cache_ping' | 'cache_delete' | 'cache_flushall';

const MAX_ADMIN_BODY_BYTES = 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_ADMIN_BODY_BYTES) reject(invalidRequest('Request body too large.'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function notInitialized(): GatewayError {
  return new GatewayError({ reason: 'unavailable', status: 503, message: 'Cache not initialized. litellm.cache is None' });
}

async function ping(cache: ResponseCache, res: ServerResponse): Promise<void> {
  const healthy = await cache.store.ping();
  if (!healthy) throw new GatewayError({ reason: 'unavailable', status: 503, message: `Service Unhealthy: cache type ${cache.settings.type} did not answer PING.` });
  const params: Record<string, unknown> = { type: cache.settings.type, namespace: cache.settings.namespace, ttl: cache.settings.ttlSeconds };
  if (cache.settings.redis !== null) Object.assign(params, { host: cache.settings.redis.host, port: cache.settings.redis.port });
  send(res, 200, { status: 'healthy', cache_type: cache.settings.type, ping_response: true, set_cache_response: 'success', litellm_cache_params: JSON.stringify(params) });
}

async function remove(cache: ResponseCache, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readBody(req));
  } catch (error) {
    throw error instanceof GatewayError ? error : invalidRequest('Malformed JSON in request body.');
  }
  const keys = isJsonObject(parsed) ? parsed.keys : undefined;
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string')) throw invalidRequest('`keys` must be a list of cache keys.', 'keys');
  await cache.store.delete(keys as string[]);
  send(res, 200, { status: 'success' });
}

/** Serves one /cache/* route; the caller has already checked the master key. */
export async function handleCacheAdmin(route: CacheAdminRoute, cache: ResponseCache | null, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    if (cache === null) throw notInitialized();
    if (route === 'cache_ping') await ping(cache, res);
    else if (route === 'cache_delete') await remove(cache, req, res);
    else {
      await cache.store.flush();
      cache.clearSemanticIndex();
      send(res, 200, { status: 'success' });
    }
  } catch (error) {
    const gatewayError = error instanceof GatewayError ? error : new GatewayError({ reason: 'unavailable', status: 503, message: `Cache error: ${(error as Error).message}` });
    if (!res.headersSent) writeError(res, gatewayError);
  }
}
