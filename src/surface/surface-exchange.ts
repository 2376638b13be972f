// UpstreamExchange for the surface routes: errors, streams and timeouts as for chat, but a successful buffered body
// goes to the route's own reply step (ownership, list filtering, rerank translation, cost) before the client sees it.
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter } from '../core/provider-contract.js';
import type { RequestContext } from '../dataplane/request-context.js';
import { copyProviderHeaders, gatewayHeaders } from '../dataplane/response-headers.js';
import { ClientDisconnectedError, UpstreamExchange, transportError } from '../dataplane/upstream-exchange.js';

type DispatchController = Dispatcher.DispatchController;
type UpstreamHeaders = Record<string, string | string[] | undefined>;

/** Largest success body a reply step reads (images as base64 are the big ones). */
const MAX_REPLY_BYTES = 64 * 1024 * 1024;

export interface SurfaceReply {
  body: Buffer | string;
  contentType: string;
  cost: number | null;
}

/** The route-specific step: turns the provider's success body into the client's, or fails it. */
export interface ReplyStep {
  /** Files and batches answers wait for the ownership store; the others answer at once. */
  onSuccessBody(body: Buffer, contentType: string): SurfaceReply | GatewayError | Promise<SurfaceReply | GatewayError>;
  /** A piped (streamed) success finished: the place to record a cost known from the request. */
  onStreamSuccess(): void;
}

export class SurfaceExchange extends UpstreamExchange {
  private readonly surfaceCtx: RequestContext;
  private readonly step: ReplyStep;
  private readonly attemptTimeoutMs: number;
  private upstreamStatus = 0;
  private upstreamHeaderBag: UpstreamHeaders = {};
  private collected: Buffer[] | null = null;
  private collectedBytes = 0;

  constructor(ctx: RequestContext, adapter: ProviderAdapter, timeoutMs: number, step: ReplyStep) {
    super(ctx, adapter, timeoutMs);
    this.surfaceCtx = ctx;
    this.step = step;
    this.attemptTimeoutMs = timeoutMs;
  }

  override onResponseStart(controller: DispatchController, statusCode: number, headers: UpstreamHeaders): void {
    this.upstreamStatus = statusCode;
    this.upstreamHeaderBag = headers;
    if (statusCode < 400 && !this.surfaceCtx.stream) {
      this.surfaceCtx.upstreamHeadersAt = performance.now();
      this.collected = [];
      return;
    }
    super.onResponseStart(controller, statusCode, headers);
  }

  override onResponseData(controller: DispatchController, chunk: Buffer): void {
    const collected = this.collected;
    if (collected === null) return super.onResponseData(controller, chunk);
    this.collectedBytes += chunk.length;
    if (this.collectedBytes > MAX_REPLY_BYTES) {
      this.collected = null;
      controller.abort(new GatewayError({ reason: 'upstream', status: 502, message: 'Upstream response exceeded the maximum buffered size.' }));
      return;
    }
    collected.push(chunk);
  }

  override onResponseEnd(): void {
    const collected = this.collected;
    if (collected === null) {
      super.onResponseEnd();
      // Audio and file bytes are not SSE: a file of batch results holds chat usage that is not this call's.
      this.surfaceCtx.usage = null;
      if (this.upstreamStatus < 400 && this.surfaceCtx.stream && this.surfaceCtx.error === null) this.step.onStreamSuccess();
      return;
    }
    const ctx = this.surfaceCtx;
    ctx.upstreamEndedAt = performance.now();
    const body = collected.length === 1 ? collected[0]! : Buffer.concat(collected, this.collectedBytes);
    const contentType = (this.upstreamHeaderBag['content-type'] as string | undefined) ?? 'application/json';
    const reply = this.step.onSuccessBody(body, contentType);
    if (reply instanceof Promise) {
      reply.then((settled) => this.answer(settled), (error: unknown) => this.answer(error instanceof GatewayError ? error : new GatewayError({ reason: 'internal', status: 500, message: 'Internal server error', cause: error })));
      return;
    }
    this.answer(reply);
  }

  /**
   * A stream whose first bytes already reached the client (speech audio, file content) has no error event to end
   * with: the connection is cut, so the client sees a broken transfer rather than a complete-looking file.
   */
  override onResponseError(controller: DispatchController, error: Error): void {
    const ctx = this.surfaceCtx;
    if (!ctx.res.headersSent || ctx.clientGone || error instanceof ClientDisconnectedError) return super.onResponseError(controller, error);
    ctx.upstreamEndedAt = performance.now();
    ctx.error = error instanceof GatewayError ? error : transportError(error, this.attemptTimeoutMs);
    ctx.res.destroy();
  }

  /** The reply step's verdict: an error goes back to the router (which may retry), a reply goes to the client. */
  private answer(reply: SurfaceReply | GatewayError): void {
    const ctx = this.surfaceCtx;
    if (ctx.clientGone || ctx.res.headersSent) return;
    if (reply instanceof GatewayError) return this.fail(reply);
    ctx.status = this.upstreamStatus;
    ctx.responseCost = reply.cost;
    const headers: Record<string, string | string[]> = gatewayHeaders(ctx, ctx.upstreamEndedAt - ctx.upstreamStartedAt);
    headers['content-type'] = reply.contentType;
    headers['content-length'] = String(Buffer.byteLength(reply.body));
    if (reply.cost !== null) headers['x-litellm-response-cost'] = String(reply.cost);
    copyProviderHeaders(this.upstreamHeaderBag, headers);
    ctx.res.writeHead(this.upstreamStatus, headers);
    ctx.res.end(reply.body);
  }
}
