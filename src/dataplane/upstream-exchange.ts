// One upstream call as an undici dispatch handler: streams are piped chunk by chunk, other bodies buffered once.
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { GatewayError, errorEvent, toGatewayError } from '../core/errors.js';
import type { ProviderAdapter, StreamTranslator } from '../core/provider-contract.js';
import { StreamUsageScanner, extractUsage } from '../core/usage.js';
import type { ResponseRewriter } from '../inbound/inbound-call.js';
import { translateBody, translationContextOf, translatorFailure } from './translate-response.js';
import type { RequestContext } from './request-context.js';
import { StreamUsageFilter } from './stream-usage-filter.js';
import { copyProviderHeaders, gatewayHeaders } from './response-headers.js';

type DispatchController = Dispatcher.DispatchController;
type UpstreamHeaders = Record<string, string | string[] | undefined>;

/** Marks an SSE error event: a stream whose first events carry one is failed before the client sees a byte. */
const SSE_ERROR_MARKER = 'data: {"error"';
/**
 * How much of a stream is held back before the client gets headers: its first two events (providers often
 * open with an empty role event and put the error second) or this many bytes, whichever comes first.
 */
const PEEK_BYTES = 4096;
const PEEK_EVENTS = 2;
const LF_LF = Buffer.from('\n\n');

/**
 * How many of `chunk`'s first bytes belong to the peek window, given the events already held: up to the blank line
 * that ends the PEEK_EVENTS-th event, else all of it (at most PEEK_BYTES). Only that much is decoded to text: a fast
 * upstream (or the mock) can send a whole stream in one chunk, and decoding 4 KB of it per request was the largest
 * allocation of the stream path. An event end split across two chunks is not seen here, so the window then runs on to
 * a later one: never shorter than the events need.
 */
export function peekWindowEnd(chunk: Buffer, eventsHeld: number): number {
  const end = Math.min(chunk.length, PEEK_BYTES);
  let events = eventsHeld;
  for (let at = chunk.indexOf(LF_LF); at !== -1 && at < end; at = chunk.indexOf(LF_LF, at + 2)) {
    if (++events >= PEEK_EVENTS) return at + 2;
  }
  return end;
}

function countEvents(text: string): number {
  let events = 0;
  for (let at = text.indexOf('\n\n'); at !== -1; at = text.indexOf('\n\n', at + 2)) events++;
  // Some servers end events with CRLF pairs.
  for (let at = text.indexOf('\r\n\r\n'); at !== -1; at = text.indexOf('\r\n\r\n', at + 4)) events++;
  return events;
}

/** The error an SSE error event at the start of a stream stands for, or null when it is ordinary data. */
export function peekStreamError(head: string, adapter: ProviderAdapter, headers: UpstreamHeaders): GatewayError | null {
  const at = head.indexOf(SSE_ERROR_MARKER);
  if (at === -1) return null;
  const end = head.indexOf('\n', at);
  const json = head.slice(at + 6, end === -1 ? head.length : end).trim();
  let status = 500;
  try {
    const code = Number((JSON.parse(json) as { error?: { code?: unknown } }).error?.code);
    if (Number.isInteger(code) && code >= 400 && code <= 599) status = code;
  } catch {
    // A truncated event still counts as an error; the adapter keeps what text there is.
  }
  return adapter.mapError(status, json, headers);
}

/** Upstream bodies above this are refused rather than buffered without bound (non-stream only). */
const MAX_BUFFERED_RESPONSE_BYTES = 64 * 1024 * 1024;

export class ClientDisconnectedError extends Error {
  constructor() {
    super('client disconnected');
    this.name = 'ClientDisconnectedError';
  }
}

/** Maps a transport failure (timeout, refused, reset) to the contract's status and type. */
export function transportError(error: Error, timeoutMs: number): GatewayError {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    const seconds = timeoutMs / 1000;
    return new GatewayError({
      reason: 'timeout',
      status: 408,
      message: `Request timed out after ${seconds} seconds waiting for the upstream provider.`,
      headers: { 'x-litellm-timeout': String(seconds) },
      cause: error,
    });
  }
  return new GatewayError({
    reason: 'upstream_unreachable',
    status: 502,
    message: `Could not reach the upstream provider: ${code || error.message}`,
    cause: error,
  });
}

/** An inbound API sent the client's own body to a provider that speaks it: the answer needs no provider translation. */
function forwardedNatively(ctx: RequestContext): boolean {
  return ctx.inbound !== null && ctx.inbound.native;
}

export class UpstreamExchange implements Dispatcher.DispatchHandler {
  private readonly ctx: RequestContext;
  private readonly adapter: ProviderAdapter;
  private readonly timeoutMs: number;
  controller: DispatchController | null = null;
  private status = 0;
  private upstreamHeaders: UpstreamHeaders = {};
  /** Chunks of a buffered (non-stream or error) body; null while piping a stream. */
  private chunks: Buffer[] | null = null;
  private bufferedBytes = 0;
  /** Watches a piped stream for the provider's final usage. */
  private usageScanner: StreamUsageScanner | null = null;
  /** Rewrites a native provider's stream into OpenAI SSE; null when bytes are piped as they are. */
  private translator: StreamTranslator | null = null;
  /** A stream's response headers, held until its first events prove it is not an error (peekable stream). */
  private pendingHeaders: Record<string, string | string[]> | null = null;
  /** Chunks held while peeking, with their text so far. */
  private peeked: Buffer[] = [];
  private peekedText = '';
  /** Set once this attempt has reported a failure, so it reports at most one. */
  private failed = false;
  /** Set when the usage event was requested by Sluice, not the client. */
  private usageFilter: StreamUsageFilter | null = null;

  constructor(ctx: RequestContext, adapter: ProviderAdapter, timeoutMs: number) {
    this.ctx = ctx;
    this.adapter = adapter;
    this.timeoutMs = timeoutMs;
  }

  onRequestStart(controller: DispatchController): void {
    this.controller = controller;
    if (this.ctx.clientGone) controller.abort(new ClientDisconnectedError());
  }

  onResponseStart(_controller: DispatchController, statusCode: number, headers: UpstreamHeaders): void {
    const ctx = this.ctx;
    ctx.upstreamHeadersAt = performance.now();
    this.status = statusCode;
    this.upstreamHeaders = headers;
    ctx.upstreamHeaders = headers;
    if (statusCode >= 400 || !ctx.stream) {
      this.chunks = [];
      return;
    }
    if (this.adapter.createStreamTranslator !== undefined && !forwardedNatively(ctx)) {
      // Headers wait for the first translated bytes, so an error in the provider's first event is still a JSON error.
      this.translator = this.adapter.createStreamTranslator(ctx.operation, translationContextOf(ctx));
      return;
    }
    const responseHeaders: Record<string, string | string[]> = gatewayHeaders(ctx, ctx.upstreamHeadersAt - ctx.upstreamStartedAt);
    responseHeaders['content-type'] = (headers['content-type'] as string | undefined) ?? 'text/event-stream';
    responseHeaders['cache-control'] = 'no-cache';
    copyProviderHeaders(headers, responseHeaders);
    this.usageScanner = new StreamUsageScanner();
    if (ctx.stripStreamUsage) this.usageFilter = new StreamUsageFilter();
    this.pendingHeaders = responseHeaders;
  }
  /** Sends the held stream headers: from here on a failure can only end the stream with an error event. */
  private commitHeaders(): boolean {
    const ctx = this.ctx;
    ctx.status = this.status;
    ctx.res.writeHead(this.status, this.pendingHeaders!);
    this.pendingHeaders = null;
    let writable = true;
    for (const held of this.peeked) {
      const out = this.usageFilter === null ? held : this.usageFilter.push(held);
      if (out.length > 0) writable = this.emit(out);
      if (ctx.cacheWrite !== null) ctx.cacheWrite.onStreamChunk(held);
    }
    this.peeked = [];
    this.peekedText = '';
    return writable;
  }

  /**
   * Writes piped stream bytes, through the inbound API's rewriter when there is one (/v1/messages, /v1/responses).
   * A rewriter failure (unreadable upstream output) aborts the call, which ends the stream with one error frame.
   */
  private emit(chunk: Buffer): boolean {
    const res = this.ctx.res;
    const rewriter = this.ctx.rewriter;
    if (rewriter === null) return res.write(chunk);
    if (res.writableEnded) return true;
    let out: string | Buffer;
    try {
      out = rewriter.push(chunk);
    } catch (error) {
      this.endWithError(rewriter, toGatewayError(error));
      return true;
    }
    return out.length === 0 || res.write(out);
  }

  /** Ends a started stream with the rewriter's error frame and stops the upstream call quietly. */
  private endWithError(rewriter: ResponseRewriter, error: GatewayError): void {
    this.ctx.error = error;
    this.ctx.res.end(rewriter.errorFrame(error));
    const controller = this.controller;
    if (controller !== null && !controller.aborted) controller.abort(new ClientDisconnectedError());
  }

  /** Holds a stream's first chunks; fails the attempt on an error event, else sends them once past the peek window. */
  private peek(controller: DispatchController, chunk: Buffer): void {
    this.peeked.push(chunk);
    this.usageScanner!.push(chunk);
    if (this.peekedText.length < PEEK_BYTES) this.peekedText += chunk.toString('utf8', 0, peekWindowEnd(chunk, countEvents(this.peekedText)));
    const error = peekStreamError(this.peekedText, this.adapter, this.upstreamHeaders);
    if (error !== null) {
      controller.abort(error);
      return;
    }
    if (this.peekedText.length >= PEEK_BYTES || countEvents(this.peekedText) >= PEEK_EVENTS) {
      if (!this.commitHeaders()) controller.pause();
    }
  }

  /** Reports a failure before the first byte to the router (retry, fallback or final error), once. */
  protected fail(error: GatewayError): void {
    if (this.failed) return;
    this.failed = true;
    this.ctx.owner.onAttemptFailed(this.ctx, error);
  }


  onResponseData(controller: DispatchController, chunk: Buffer): void {
    const chunks = this.chunks;
    if (chunks !== null) {
      this.bufferedBytes += chunk.length;
      if (this.bufferedBytes > MAX_BUFFERED_RESPONSE_BYTES) {
        controller.abort(new GatewayError({ reason: 'upstream', status: 502, message: 'Upstream response exceeded the maximum buffered size.' }));
        return;
      }
      chunks.push(chunk);
      return;
    }
    const ctx = this.ctx;
    if (ctx.firstChunkAt === 0) ctx.firstChunkAt = performance.now();
    if (this.translator !== null) return this.translateChunk(controller, this.translator, chunk);
    if (this.pendingHeaders !== null) return this.peek(controller, chunk);
    this.usageScanner!.push(chunk);
    const out = this.usageFilter === null ? chunk : this.usageFilter.push(chunk);
    const paused = out.length > 0 && !this.emit(out);
    if (ctx.cacheWrite !== null) ctx.cacheWrite.onStreamChunk(chunk);
    if (paused) controller.pause();
  }

  onResponseEnd(): void {
    const ctx = this.ctx;
    ctx.upstreamEndedAt = performance.now();
    const chunks = this.chunks;
    if (chunks === null && this.translator !== null) return this.endTranslated(this.translator);
    if (chunks === null) {
      if (this.pendingHeaders !== null) this.commitHeaders();
      ctx.usage = this.usageScanner!.finish();
      const rest = this.usageFilter?.flush() ?? null;
      if (ctx.rewriter !== null) {
        if (rest !== null && rest.length > 0) this.emit(rest);
        return this.endRewritten(ctx.rewriter);
      }
      ctx.res.end(rest ?? undefined);
      if (ctx.cacheWrite !== null) ctx.cacheWrite.onStreamEnd();
      return;
    }
    let body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.bufferedBytes);
    const upstreamMs = ctx.upstreamEndedAt - ctx.upstreamStartedAt;
    if (this.status >= 400) {
      this.fail(this.adapter.mapError(this.status, body.toString('utf8'), this.upstreamHeaders));
      return;
    }
    if (this.adapter.parseResponse !== undefined && !forwardedNatively(ctx)) return this.respondTranslated(body, upstreamMs);
    if (ctx.cacheWrite !== null) body = ctx.cacheWrite.onBody(body);
    let answer: string | Buffer = body;
    if (ctx.rewriter !== null) {
      try {
        answer = ctx.rewriter.rewriteBody(body);
      } catch (error) {
        return this.fail(toGatewayError(error));
      }
    }
    ctx.status = this.status;
    ctx.usage = ctx.rewriter?.usage ?? extractUsage(body);
    const responseHeaders: Record<string, string | string[]> = gatewayHeaders(ctx, upstreamMs);
    responseHeaders['content-type'] = (this.upstreamHeaders['content-type'] as string | undefined) ?? 'application/json';
    responseHeaders['content-length'] = String(Buffer.byteLength(answer));
    copyProviderHeaders(this.upstreamHeaders, responseHeaders);
    ctx.res.writeHead(this.status, responseHeaders);
    ctx.res.end(answer);
  }

  onResponseError(_controller: DispatchController, error: Error): void {
    const ctx = this.ctx;
    ctx.upstreamEndedAt = performance.now();
    if (ctx.clientGone || error instanceof ClientDisconnectedError) return;
    const gatewayError = error instanceof GatewayError ? error : transportError(error, this.timeoutMs);
    if (ctx.res.headersSent) {
      // The stream already started: end it with one error event (CONTRACT.md "Errors").
      ctx.error = gatewayError;
      if (!ctx.res.writableEnded) ctx.res.end(ctx.rewriter === null ? errorEvent(gatewayError) : ctx.rewriter.errorFrame(gatewayError));
      return;
    }
    this.fail(gatewayError);
  }

  /** A native provider's non-stream answer, rewritten into OpenAI's body. */
  private respondTranslated(upstreamBody: Buffer, upstreamMs: number): void {
    const ctx = this.ctx;
    const translated = translateBody(this.adapter, ctx, upstreamBody);
    if (translated.error !== null) return this.fail(translated.error);
    let body: string | Buffer = ctx.cacheWrite === null ? translated.body : ctx.cacheWrite.onBody(Buffer.from(translated.body));
    if (ctx.rewriter !== null) {
      try {
        body = ctx.rewriter.rewriteBody(body);
      } catch (error) {
        return this.fail(toGatewayError(error));
      }
    }
    ctx.status = this.status;
    ctx.usage = translated.usage;
    const responseHeaders: Record<string, string | string[]> = gatewayHeaders(ctx, upstreamMs);
    responseHeaders['content-type'] = 'application/json';
    responseHeaders['content-length'] = String(Buffer.byteLength(body));
    copyProviderHeaders(this.upstreamHeaders, responseHeaders);
    ctx.res.writeHead(this.status, responseHeaders);
    ctx.res.end(body);
  }

  private writeTranslatedHead(): void {
    const ctx = this.ctx;
    const responseHeaders: Record<string, string | string[]> = gatewayHeaders(ctx, ctx.upstreamHeadersAt - ctx.upstreamStartedAt);
    responseHeaders['content-type'] = 'text/event-stream';
    responseHeaders['cache-control'] = 'no-cache';
    copyProviderHeaders(this.upstreamHeaders, responseHeaders);
    ctx.status = this.status;
    ctx.res.writeHead(this.status, responseHeaders);
  }

  private translateChunk(controller: DispatchController, translator: StreamTranslator, chunk: Buffer): void {
    let text: string | Buffer;
    try {
      text = translator.push(chunk);
      if (this.ctx.rewriter !== null && text !== '') text = this.ctx.rewriter.push(text);
    } catch (error) {
      controller.abort(translatorFailure(error));
      return;
    }
    if (text.length === 0) return;
    if (!this.ctx.res.headersSent) this.writeTranslatedHead();
    const paused = !this.ctx.res.write(text);
    if (this.ctx.cacheWrite !== null) this.ctx.cacheWrite.onStreamChunk(text);
    if (paused) controller.pause();
  }

  private endTranslated(translator: StreamTranslator): void {
    const ctx = this.ctx;
    let text: string;
    try {
      text = translator.end();
      const rewriter = ctx.rewriter;
      if (rewriter !== null) text = (text === '' ? '' : (rewriter.push(text) as string)) + rewriter.end();
    } catch (error) {
      ctx.usage = translator.usage;
      return this.onResponseError(this.controller!, translatorFailure(error));
    }
    ctx.usage = translator.usage;
    if (!ctx.res.headersSent) this.writeTranslatedHead();
    ctx.res.end(text);
    if (ctx.cacheWrite !== null) {
      ctx.cacheWrite.onStreamChunk(text);
      ctx.cacheWrite.onStreamEnd();
    }
  }

  /** Ends a rewritten stream with the rewriter's trailing events, or its error frame when the stream was incomplete. */
  private endRewritten(rewriter: ResponseRewriter): void {
    const ctx = this.ctx;
    if (ctx.res.writableEnded) return;
    let tail: string;
    try {
      tail = rewriter.end();
    } catch (error) {
      return this.endWithError(rewriter, toGatewayError(error));
    }
    ctx.usage = rewriter.usage ?? ctx.usage;
    ctx.res.end(tail);
  }

  /** Called when the client's socket drains after backpressure. */
  resume(): void {
    this.controller?.resume();
  }

  /** Called when the client goes away: stop the upstream call too. */
  abort(): void {
    const controller = this.controller;
    if (controller !== null && !controller.aborted) controller.abort(new ClientDisconnectedError());
  }
}
