// Writes an answer the gateway computed itself (count_tokens estimates) with the usual gateway headers.
import { performance } from 'node:perf_hooks';
import type { RequestContext } from '../dataplane/request-context.js';
import { gatewayHeaders } from '../dataplane/response-headers.js';

export function sendLocalJson(ctx: RequestContext, text: string): void {
  if (ctx.clientGone || ctx.res.headersSent) return;
  ctx.upstreamStartedAt = ctx.upstreamEndedAt = performance.now();
  ctx.status = 200;
  const headers: Record<string, string> = gatewayHeaders(ctx, 0);
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(text));
  ctx.res.writeHead(200, headers);
  ctx.res.end(text);
}
