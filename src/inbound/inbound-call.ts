// The seams between the hot path and an inbound API (/v1/messages, /v1/responses): what the gateway calls, and when.
import type { Deployment } from '../config/deployment.js';
import type { GatewayError } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import type { UpstreamRequest } from '../core/provider-contract.js';
import type { Usage } from '../core/usage.js';
import type { RequestContext } from '../dataplane/request-context.js';

/**
 * Rewrites an OpenAI-shaped answer into the client's API, or taps a natively forwarded one. The upstream
 * exchange calls it instead of writing bytes itself; stream text is translated chunk by chunk, never buffered.
 */
export interface ResponseRewriter {
  /** Non-stream success body → the client's body (JSON text). Throws a GatewayError on unreadable output. */
  rewriteBody(body: Buffer | string): string | Buffer;
  /** Stream bytes (or text) as they arrive → what to write now ('' for nothing). Throws a GatewayError on bad output. */
  push(chunk: Buffer | string): string | Buffer;
  /** The upstream stream ended: trailing events. Throws a GatewayError when it ended before it was complete. */
  end(): string;
  /** The frame that ends a stream failing after its first byte (the contract's error body, in the client's framing). */
  errorFrame(error: GatewayError): string;
  /** Usage seen in the stream, or null to let the exchange's own scanner decide. */
  readonly usage: Usage | null;
}

/** How an inbound API reaches the shared transport (implemented by the gateway). */
export interface UpstreamSender {
  sendUpstream(ctx: RequestContext, deployment: Deployment, request: UpstreamRequest): void;
}

/** One inbound request in flight: created by `InboundApi.accept`, kept on the request context. */
export interface InboundCall {
  /** True once `intercept` sent the client's own body to a provider that speaks it: no provider translation applies. */
  readonly native: boolean;
  /**
   * Called for every attempt once its deployment is chosen (the router may retry or fall back), before any local or
   * upstream answer: returns true when it answered (count_tokens estimate) or forwarded the client's body natively;
   * false to continue on the chat path. Sets `ctx.rewriter` for the attempt. Throws a GatewayError for a request the
   * chosen deployment cannot take.
   */
  intercept(ctx: RequestContext, deployment: Deployment, sender: UpstreamSender): boolean;
}

/** An inbound API, compiled once per route. */
export interface InboundApi {
  readonly name: string;
  /**
   * Validates the client's body (throws the contract's 400 naming the field) and returns the OpenAI chat body the
   * hot path routes with; sets `ctx.inbound`.
   */
  accept(ctx: RequestContext, body: JsonObject): JsonObject;
}
