// The `x-litellm-*` response headers (CONTRACT.md "Response headers"), built in one place.
import { performance } from 'node:perf_hooks';
import type { RequestContext } from './request-context.js';

/** Headers every answered request carries; timing is measured up to the moment they are built. */
export function gatewayHeaders(ctx: RequestContext, upstreamMs: number): Record<string, string> {
  const totalMs = performance.now() - ctx.startedAt;
  const headers: Record<string, string> = {
    'x-litellm-call-id': ctx.callId,
    'x-litellm-response-duration-ms': totalMs.toFixed(3),
    'x-litellm-overhead-duration-ms': Math.max(0, totalMs - upstreamMs).toFixed(3),
  };
  const deployment = ctx.deployment;
  if (deployment !== null) {
    headers['x-litellm-model-id'] = deployment.id;
    headers['x-litellm-model-group'] = ctx.group?.name ?? deployment.modelGroup;
    if (deployment.apiBase !== '') headers['x-litellm-model-api-base'] = deployment.apiBase;
  }
  const routing = ctx.routing;
  if (routing !== null) {
    headers['x-litellm-attempted-retries'] = String(routing.attemptedRetries);
    headers['x-litellm-max-retries'] = String(routing.numRetries);
    headers['x-litellm-attempted-fallbacks'] = String(routing.attemptedFallbacks);
  }
  if (ctx.grant !== null) ctx.grant.addHeaders(headers, ctx.usage, deployment);
  if (ctx.cacheKey !== null) headers['x-litellm-cache-key'] = ctx.cacheKey;
  return headers;
}

/** Just the call id, for errors raised before a deployment is chosen. */
export function callIdHeader(ctx: RequestContext): Record<string, string> {
  return { 'x-litellm-call-id': ctx.callId };
}

type UpstreamHeaders = Record<string, string | string[] | undefined>;

/** Provider headers clients rely on: rate-limit state and retry hints. */
export function copyProviderHeaders(from: UpstreamHeaders, to: Record<string, string | string[]>): void {
  for (const name in from) {
    if (name.startsWith('x-ratelimit-') || name === 'retry-after' || name === 'retry-after-ms') {
      const value = from[name];
      if (value !== undefined) to[name] = value;
    }
  }
}
