// Provider pass-through (`/anthropic/*`, `/openai/*`, …): gateway auth already checked; the client's own credentials
// are replaced by the provider's, and request and response bodies are piped unchanged (Bedrock's is buffered to re-sign).
import type { IncomingHttpHeaders } from 'node:http';
import type { RuntimeSnapshot } from '../../config/snapshot.js';
import { GatewayError, toGatewayError } from '../../core/errors.js';
import type { UpstreamRequest } from '../../core/provider-contract.js';
import type { GatewayServerResponse } from '../../dataplane/http-types.js';
import { failRequest, type RequestContext } from '../../dataplane/request-context.js';
import type { UpstreamPools } from '../../dataplane/upstream-pools.js';
import { BoundedBody, tooLargeError } from './bounded-body.js';
import { PipeExchange } from './pipe-exchange.js';
import { PASS_THROUGH_PROVIDERS, type PassThroughProvider } from './prefixes.js';
import { compileTarget, type PassThroughTarget } from './target.js';

/** Client headers never forwarded: the hop's own, and every way a client presents a key to the gateway. */
const STRIPPED: ReadonlySet<string> = new Set([
  'host', 'connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect',
  'authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'x-litellm-api-key',
]);

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
type Body = Buffer | RequestContext['req'] | BoundedBody | null;

function onPassThroughDrain(this: GatewayServerResponse): void {
  this.ctx?.exchange?.resume();
}

function forwardedHeaders(from: IncomingHttpHeaders, target: PassThroughTarget): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const name in from) {
    const value = from[name];
    if (value === undefined || STRIPPED.has(name) || name.startsWith('x-litellm-')) continue;
    headers[name] = value;
  }
  for (const name in target.defaultHeaders) if (headers[name] === undefined) headers[name] = target.defaultHeaders[name]!;
  for (const name in target.authHeaders) headers[name] = target.authHeaders[name]!;
  return headers;
}

export class PassThroughForwarder {
  private readonly targets = new Map<string, PassThroughTarget>();
  private readonly pools: UpstreamPools;
  private readonly timeoutMs: number;
  private readonly maxRequestBytes: number;

  constructor(snapshot: RuntimeSnapshot, pools: UpstreamPools) {
    for (const provider of PASS_THROUGH_PROVIDERS) this.targets.set(provider.id, compileTarget(provider, snapshot));
    this.pools = pools;
    this.timeoutMs = snapshot.deploymentDefaults.timeoutSeconds * 1000;
    this.maxRequestBytes = snapshot.settings.maxRequestBytes;
  }

  /** `url` is the request's path and query, starting with `/{provider}`. */
  forward(ctx: RequestContext, provider: PassThroughProvider, url: string): void {
    const target = this.targets.get(provider.id)!;
    if (target.problem !== null) return failRequest(ctx, new GatewayError({ reason: 'not_found', status: 404, message: target.problem }));
    if (Number(ctx.req.headers['content-length']) > this.maxRequestBytes) return failRequest(ctx, tooLargeError(this.maxRequestBytes));
    const rest = url.slice(provider.id.length + 1);
    const path = target.basePath + (rest === '' || rest.startsWith('?') ? `/${rest}` : rest);
    const method = (ctx.req.method ?? 'GET') as HttpMethod;
    const headers = forwardedHeaders(ctx.req.headers, target);
    if (target.signer !== null) return void this.forwardSigned(ctx, target, method, path, headers);
    if (target.deploymentAuth !== null) return void this.forwardAuthorized(ctx, target, method, path, headers);
    this.dispatch(ctx, target, method, path, headers, this.streamedBody(ctx, method));
  }

  /** The client's body as it streams in; only a chunked upload (its size unknown up front) is counted on the way. */
  private streamedBody(ctx: RequestContext, method: HttpMethod): Body {
    if (method === 'GET' || method === 'HEAD') return null;
    if (ctx.req.headers['content-length'] !== undefined || ctx.req.headers['transfer-encoding'] === undefined) return ctx.req;
    return ctx.req.pipe(new BoundedBody(this.maxRequestBytes));
  }

  /** Vertex AI: the deployment's adapter mints (or reuses a cached) OAuth token; the body waits unread meanwhile. */
  private async forwardAuthorized(ctx: RequestContext, target: PassThroughTarget, method: HttpMethod, path: string, headers: Record<string, string | string[]>): Promise<void> {
    const { adapter, prepared } = target.deploymentAuth!;
    const probe: UpstreamRequest = { origin: target.origin, path, method: 'POST', headers: { ...prepared.headers }, body: null };
    try {
      const waiting = adapter.authorize?.(probe, prepared);
      if (waiting !== undefined) await waiting;
    } catch (error) {
      if (!ctx.clientGone) failRequest(ctx, toGatewayError(error));
      return;
    }
    if (ctx.clientGone) return;
    const authorization = probe.headers.authorization;
    if (authorization !== undefined) headers.authorization = authorization;
    this.dispatch(ctx, target, method, path, headers, this.streamedBody(ctx, method));
  }

  private dispatch(ctx: RequestContext, target: PassThroughTarget, method: HttpMethod, path: string, headers: Record<string, string | string[]>, body: Body): void {
    const exchange = new PipeExchange(ctx, this.timeoutMs);
    ctx.exchange = exchange;
    ctx.res.on('drain', onPassThroughDrain);
    this.pools.get(target.origin).dispatch({ origin: target.origin, path, method, headers, body, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs }, exchange);
  }

  /** Bedrock: SigV4 covers the body's hash, so the body is read (bounded by max_request_size_mb) and signed first. */
  private async forwardSigned(ctx: RequestContext, target: PassThroughTarget, method: HttpMethod, path: string, headers: Record<string, string | string[]>): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      let length = 0;
      for await (const chunk of ctx.req) {
        length += (chunk as Buffer).length;
        if (length > this.maxRequestBytes) return failRequest(ctx, tooLargeError(this.maxRequestBytes));
        chunks.push(chunk as Buffer);
      }
      const body = Buffer.concat(chunks, length);
      const plain: Record<string, string> = {};
      for (const name in headers) {
        // The client's own signature headers would be stale (or name credentials we do not use): ours replace them.
        if (name.startsWith('x-amz-')) continue;
        const value = headers[name]!;
        plain[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      delete plain['content-length'];
      if (body.length > 0) plain['content-length'] = String(body.length);
      const signed = await target.signer!.sign(new URL(target.origin + path), method, plain, body);
      if (ctx.clientGone) return;
      this.dispatch(ctx, target, method, path, signed, method === 'GET' || method === 'HEAD' ? null : body);
    } catch (error) {
      if (!ctx.clientGone) failRequest(ctx, toGatewayError(error));
    }
  }
}
