// Answers a request from a cached body: JSON as stored, or replayed as SSE for a streaming request.
import { performance } from 'node:perf_hooks';
import { isJsonObject } from '../core/json.js';
import { extractUsage } from '../core/usage.js';
import type { RequestContext } from '../dataplane/request-context.js';
import { gatewayHeaders } from '../dataplane/response-headers.js';
import type { CachedEntry } from './cache-store.js';
import { replayAsStream } from './stream-replay.js';

export function answerFromCache(ctx: RequestContext, entry: CachedEntry, includeUsage: boolean): void {
  const response = entry.response;
  ctx.cacheHit = true;
  ctx.status = 200;
  ctx.upstreamStartedAt = ctx.upstreamEndedAt = performance.now();
  const headers: Record<string, string> = gatewayHeaders(ctx, 0);
  headers['x-litellm-response-cost'] = '0';
  if (ctx.stream && ctx.operation !== 'embedding') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(response);
    } catch {
      parsed = null;
    }
    const body = replayAsStream(isJsonObject(parsed) ? parsed : {}, includeUsage);
    headers['content-type'] = 'text/event-stream';
    headers['cache-control'] = 'no-cache';
    ctx.usage = isJsonObject(parsed) ? extractUsage(Buffer.from(response)) : null;
    ctx.res.writeHead(200, headers);
    ctx.res.end(body);
    return;
  }
  const bytes = (entry.bytes ??= Buffer.from(response));
  if (entry.usage === undefined) entry.usage = extractUsage(bytes);
  ctx.usage = entry.usage;
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(bytes.length);
  ctx.res.writeHead(200, headers);
  ctx.res.end(bytes);
}
