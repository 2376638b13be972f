// Everything one request carries through the hot path; every field is set in the constructor (stable shape).
import { newCallId } from '../core/call-id.js';
import type { Deployment } from '../config/deployment.js';
import type { ModelGroup } from '../config/snapshot.js';
import { writeError, type GatewayError } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import type { Operation } from '../core/operation.js';
import type { Usage } from '../core/usage.js';
import type { RoutingState } from '../router/routing-state.js';
import type { InboundCall, ResponseRewriter } from '../inbound/inbound-call.js';
import type { GatewayIncomingMessage, GatewayServerResponse } from './http-types.js';
import type { AccessGrant } from './access-control.js';
import type { Route } from './routes.js';
import type { CacheWrite } from '../cache/cache-write.js';
import type { RawBody } from './raw-body-forward.js';

/** An upstream call in flight, as the response's drain and close events see it. */
export interface ActiveExchange {
  resume(): void;
  abort(): void;
}

/** Writes an error response and remembers it for observers. */
export function failRequest(ctx: RequestContext, error: GatewayError, headers?: Record<string, string>): void {
  ctx.status = error.status;
  ctx.error = error;
  writeError(ctx.res, error, headers ?? { 'x-litellm-call-id': ctx.callId });
}

/** What a context reports back to: the gateway that owns it (kept abstract to avoid an import cycle). */
export interface ContextOwner {
  readonly maxRequestBytes: number;
  onBody(ctx: RequestContext): void;
  onFinished(ctx: RequestContext): void;
  /** An upstream attempt failed before any byte reached the client: the router retries, falls back or fails. */
  onAttemptFailed(ctx: RequestContext, error: GatewayError): void;
}

export class RequestContext {
  readonly owner: ContextOwner;
  readonly req: GatewayIncomingMessage;
  readonly res: GatewayServerResponse;
  readonly startedAt: number;
  readonly callId: string;
  /** Set for LLM routes only; observers are told about those. */
  route: Route | null;
  operation: Operation;
  requestedModel: string | null;
  /** Model named by an Azure-style path (`/openai/deployments/{model}/…`), which wins over the body's. */
  modelFromPath: string | null;
  bodyChunks: Buffer[] | null;
  bodyLength: number;
  body: JsonObject | null;
  /** The request's bytes, when an OpenAI-compatible upstream may receive them as they are (raw-body-forward.ts). */
  rawBody: RawBody | null;
  group: ModelGroup | null;
  deployment: Deployment | null;
  stream: boolean;
  upstreamStartedAt: number;
  upstreamHeadersAt: number;
  /** The provider's response headers (rate-limit gauges read them after the response). */
  upstreamHeaders: Readonly<Record<string, string | string[] | undefined>> | null;
  upstreamEndedAt: number;
  /** Time the first body byte of a streamed answer arrived from upstream. */
  firstChunkAt: number;
  exchange: ActiveExchange | null;
  /** Set by an inbound API (/v1/messages, /v1/responses): decides native forwarding once a deployment is chosen. */
  inbound: InboundCall | null;
  /** Rewrites (or taps) the upstream answer for the client's API; null: OpenAI bytes written as they come. */
  rewriter: ResponseRewriter | null;
  clientGone: boolean;
  /** Status and error as answered to the client, for observers. */
  status: number;
  error: GatewayError | null;
  usage: Usage | null;
  /** Retries, fallbacks and overrides of an LLM request (set by the router). */
  routing: RoutingState | null;
  /** The caller's admission (virtual key, limits, budgets) when governance is on. */
  grant: AccessGrant | null;
  /** Sluice asked the provider for stream usage the client did not request: strip it from the client's stream. */
  stripStreamUsage: boolean;
  /** Response cache: the request's key (for `x-litellm-cache-key`), whether it was answered from the cache, the store-after state. */
  cacheKey: string | null;
  cacheHit: boolean;
  cacheWrite: CacheWrite | null;
  /** The key's `allowed_cache_controls` (set by auth); null: every control allowed. */
  allowedCacheControls: ReadonlySet<string> | null;
  /** Tenant scope of semantic-cache buckets (key/team, set by auth); '' when unauthenticated. */
  cacheScope: string;
  /** Cost in USD computed by the route itself (images, audio seconds, rerank units); null when priced from tokens or unknown. */
  responseCost: number | null;
  /** Surface route name (`image_generation`, `rerank`, `file_upload`, …); null for chat, completion and embedding. */
  endpoint: string | null;

  constructor(owner: ContextOwner, req: GatewayIncomingMessage, res: GatewayServerResponse, startedAt: number) {
    this.owner = owner;
    this.req = req;
    this.res = res;
    this.startedAt = startedAt;
    const given = req.headers['x-litellm-call-id'];
    this.callId = typeof given === 'string' && given !== '' && given.length <= 128 ? given : newCallId();
    this.route = null;
    this.operation = 'chat';
    this.requestedModel = null;
    this.modelFromPath = null;
    this.bodyChunks = null;
    this.bodyLength = 0;
    this.body = null;
    this.rawBody = null;
    this.group = null;
    this.deployment = null;
    this.stream = false;
    this.upstreamStartedAt = 0;
    this.upstreamHeadersAt = 0;
    this.upstreamHeaders = null;
    this.upstreamEndedAt = 0;
    this.firstChunkAt = 0;
    this.exchange = null;
    this.inbound = null;
    this.rewriter = null;
    this.clientGone = false;
    this.status = 0;
    this.error = null;
    this.usage = null;
    this.routing = null;
    this.grant = null;
    this.stripStreamUsage = false;
    this.cacheKey = null;
    this.cacheHit = false;
    this.cacheWrite = null;
    this.allowedCacheControls = null;
    this.cacheScope = '';
    this.responseCost = null;
    this.endpoint = null;
  }
}
