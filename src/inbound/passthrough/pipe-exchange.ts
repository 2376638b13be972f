// One pass-through call as an undici dispatch handler: status, headers and body piped unchanged, with backpressure.
import type { Dispatcher } from 'undici';
import { GatewayError } from '../../core/errors.js';
import type { RequestContext } from '../../dataplane/request-context.js';
import { failRequest } from '../../dataplane/request-context.js';
import { transportError, ClientDisconnectedError } from '../../dataplane/upstream-exchange.js';

type DispatchController = Dispatcher.DispatchController;
type UpstreamHeaders = Record<string, string | string[] | undefined>;

/** Per-connection headers that describe the upstream hop, not the response. */
const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-authenticate', 'proxy-connection', 'te', 'trailer']);

export class PipeExchange implements Dispatcher.DispatchHandler {
  private readonly ctx: RequestContext;
  private readonly timeoutMs: number;
  private controller: DispatchController | null = null;

  constructor(ctx: RequestContext, timeoutMs: number) {
    this.ctx = ctx;
    this.timeoutMs = timeoutMs;
  }

  onRequestStart(controller: DispatchController): void {
    this.controller = controller;
    if (this.ctx.clientGone) controller.abort(new ClientDisconnectedError());
  }

  onResponseStart(_controller: DispatchController, statusCode: number, headers: UpstreamHeaders): void {
    const out: Record<string, string | string[]> = {};
    for (const name in headers) {
      const value = headers[name];
      if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
    }
    out['x-litellm-call-id'] = this.ctx.callId;
    this.ctx.status = statusCode;
    this.ctx.res.writeHead(statusCode, out);
    this.ctx.res.flushHeaders();
  }

  onResponseData(controller: DispatchController, chunk: Buffer): void {
    if (!this.ctx.res.write(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    this.ctx.res.end();
  }

  onResponseError(_controller: DispatchController, error: Error): void {
    const ctx = this.ctx;
    if (ctx.clientGone || error instanceof ClientDisconnectedError) return;
    // Bytes already left unchanged, framing included: the only honest end is to cut the connection.
    if (ctx.res.headersSent) return void ctx.res.destroy();
    // A GatewayError here is ours (an upload over the size limit); anything else is the transport's.
    failRequest(ctx, error instanceof GatewayError ? error : transportError(error, this.timeoutMs));
  }

  resume(): void {
    this.controller?.resume();
  }

  abort(): void {
    const controller = this.controller;
    if (controller !== null && !controller.aborted) controller.abort(new ClientDisconnectedError());
  }
}
