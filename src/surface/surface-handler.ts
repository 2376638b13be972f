// Entry point of the surface routes from the gateway: match, authenticate, take the body in (JSON buffered and bounded,
// multipart streamed), then hand over to a SurfaceCall, whose attempts run through the router's attempt loop (retries,
// fallbacks, cooldowns) like chat's. One call from Gateway.handle; nothing here runs for chat.
import type { Deployment } from '../config/deployment.js';
import type { ModelResolver } from '../config/model-resolver.js';
import type { ModelGroup, RuntimeSnapshot } from '../config/snapshot.js';
import { GatewayError, invalidRequest, toGatewayError } from '../core/errors.js';
import { isJsonObject, type JsonObject } from '../core/json.js';
import { logger } from '../logging/logger.js';
import { failRequest, type RequestContext } from '../dataplane/request-context.js';
import { gatewayHeaders } from '../dataplane/response-headers.js';
import type { Route } from '../dataplane/routes.js';
import type { UpstreamPools } from '../dataplane/upstream-pools.js';
import { AttemptRunner, type AttemptHost } from '../router/attempt-runner.js';
import { secondAttemptPossible } from '../router/retry-decision.js';
import type { Router } from '../router/router.js';
import { modeOf, type ModelMode } from './model-mode.js';
import { boundaryOf } from './multipart-head.js';
import { InMemoryOwnershipStore, type OwnershipStore } from './ownership-store.js';
import { SurfaceCall } from './surface-call.js';
import { SurfaceRoutes } from './surface-endpoints.js';
import type { SurfaceHost } from './surface-host.js';
import { UploadSpool, uploadTooLarge } from './upload-spool.js';
import { speaksOpenAI } from './upstream-target.js';

/** Largest multipart prefix held while looking for a `model` field that comes after the file. */
export const MODEL_LOOKAHEAD_BYTES = 32 * 1024 * 1024;

/** A client that goes away mid-body: the response 'close' handler already stops the call; this keeps the worker up. */
function ignoreRequestError(): void {}

/** Surface calls are LLM calls for observers (spend, metrics): they carry this route. */
const SURFACE_ROUTE: Route = { kind: 'llm', method: 'POST', operation: 'chat' };

export interface SurfaceOptions {
  /** Answers 401 and returns false when the caller's key is refused. */
  authenticate(ctx: RequestContext): boolean;
  /** Read per request: a config reload may add or remove the master key and change the size limit. */
  keysConfigured(): boolean;
  maxRequestBytes(): number;
  /** The gateway's router: surface attempts pick through it and report back, so cooldowns and strategies see them. */
  router: Router;
  store?: OwnershipStore;
}

export class SurfaceHandler implements SurfaceHost, AttemptHost {
  resolver: ModelResolver;
  readonly pools: UpstreamPools;
  readonly store: OwnershipStore;
  private readonly options: SurfaceOptions;
  private readonly routes = new SurfaceRoutes();
  private readonly runner: AttemptRunner;
  /** Deployments by id; kept across reloads so files and batches on a removed or changed deployment still resolve. */
  private readonly byId = new Map<string, Deployment>();
  private modelByMode = new Map<ModelMode, string>();
  private filesDeployment: Deployment | null = null;
  /** The call behind each request in flight, for the attempts the runner asks for. */
  private readonly calls = new WeakMap<RequestContext, SurfaceCall>();

  constructor(snapshot: RuntimeSnapshot, resolver: ModelResolver, pools: UpstreamPools, options: SurfaceOptions) {
    this.resolver = resolver;
    this.pools = pools;
    this.options = options;
    this.store = options.store ?? new InMemoryOwnershipStore();
    this.runner = new AttemptRunner(options.router, this);
    this.reload(snapshot, resolver);
  }

  get keysConfigured(): boolean {
    return this.options.keysConfigured();
  }

  begin(ctx: RequestContext, body: JsonObject, group: ModelGroup): void {
    this.runner.begin(ctx, body, group);
  }

  beginPinned(ctx: RequestContext, body: JsonObject, deployment: Deployment): void {
    this.runner.beginPinned(ctx, body, deployment);
  }

  abandon(ctx: RequestContext): void {
    this.runner.abandon(ctx);
  }

  attemptFailed(ctx: RequestContext, error: GatewayError): void {
    this.onAttemptFailed(ctx, error);
  }

  // AttemptHost: the runner's view of the surface routes.

  resolveGroup(model: string): ModelGroup | null {
    return this.resolver.resolve(model);
  }

  sendAttempt(ctx: RequestContext, deployment: Deployment): void {
    this.calls.get(ctx)!.attempt(deployment);
  }

  failFinal(ctx: RequestContext, error: GatewayError): void {
    const upstreamMs = ctx.upstreamEndedAt > ctx.upstreamStartedAt ? ctx.upstreamEndedAt - ctx.upstreamStartedAt : 0;
    failRequest(ctx, error, gatewayHeaders(ctx, upstreamMs));
  }

  /** An attempt failed before the client saw a byte: retry, fall back or answer, as for chat. */
  onAttemptFailed(ctx: RequestContext, error: GatewayError): void {
    if (ctx.routing === null) return this.failFinal(ctx, error);
    this.runner.onAttemptFailed(ctx, error);
  }

  /** The request is over: the last attempt is reported to the router (latency, cooldowns) and the upload let go. */
  onFinished(ctx: RequestContext): void {
    this.runner.onFinished(ctx);
    const call = this.calls.get(ctx);
    if (call === undefined) return;
    this.calls.delete(ctx);
    call.finish();
  }

  /** A new config snapshot: defaults recomputed, ownership kept. */
  reload(snapshot: RuntimeSnapshot, resolver: ModelResolver): void {
    this.resolver = resolver;
    const modelByMode = new Map<ModelMode, string>();
    let files: Deployment | null = null;
    for (const group of snapshot.groups.values()) {
      for (const deployment of group.deployments) {
        this.byId.set(deployment.id, deployment);
        const mode = modeOf(deployment);
        if (!modelByMode.has(mode)) modelByMode.set(mode, group.name);
        if (files === null && (deployment.provider === 'openai' || deployment.provider === 'azure') && speaksOpenAI(deployment)) files = deployment;
      }
    }
    this.modelByMode = modelByMode;
    this.filesDeployment = files;
  }

  defaultModelFor(mode: ModelMode): string | null {
    return this.modelByMode.get(mode) ?? null;
  }

  defaultFilesDeployment(): Deployment | null {
    return this.filesDeployment;
  }

  deploymentById(id: string): Deployment | undefined {
    return this.byId.get(id);
  }

  remember(deployment: Deployment): void {
    if (!this.byId.has(deployment.id)) this.byId.set(deployment.id, deployment);
  }

  /** Returns false when the path is not a surface route (the gateway then answers 404). */
  handle(ctx: RequestContext, method: string, path: string, query: string): boolean {
    const found = this.routes.match(method, path);
    if (found === null) return false;
    if ('allowed' in found) {
      ctx.res.setHeader('allow', found.allowed);
      failRequest(ctx, new GatewayError({ reason: 'method_not_allowed', status: 405, message: `Method ${method} not allowed on ${path}; use ${found.allowed}.` }));
      return true;
    }
    if (!this.options.authenticate(ctx)) return true;
    ctx.route = SURFACE_ROUTE;
    ctx.endpoint = found.endpoint.name;
    ctx.req.on('error', ignoreRequestError);
    const call = new SurfaceCall(this, ctx, found.endpoint, found.id, query);
    this.calls.set(ctx, call);
    if (found.pathModel !== undefined) call.pathModel = found.pathModel;
    try {
      if (found.endpoint.body === 'json') this.readJson(call);
      else if (found.endpoint.body === 'multipart') this.streamMultipart(call);
      else {
        ctx.req.resume();
        call.onBodiless();
      }
    } catch (error) {
      this.failCall(call, error);
    }
    return true;
  }

  private failCall(call: SurfaceCall, error: unknown): void {
    const gatewayError = toGatewayError(error);
    if (gatewayError.reason === 'internal') logger.error({ err: error, callId: call.ctx.callId }, 'surface request failed');
    call.fail(gatewayError);
  }

  /** JSON bodies are small (prompts, documents): read whole, bounded by max_request_size_mb. */
  private readJson(call: SurfaceCall): void {
    const req = call.ctx.req;
    const limit = this.options.maxRequestBytes();
    if (Number(req.headers['content-length']) > limit) return this.tooLarge(call, limit);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      const before = size;
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      if (before <= limit) this.tooLarge(call, limit);
      chunks.length = 0;
    });
    req.on('end', () => {
      if (size > limit) return;
      try {
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
        } catch {
          throw invalidRequest('Malformed JSON in request body.');
        }
        if (!isJsonObject(parsed)) throw invalidRequest('Request body must be a JSON object.');
        call.onJson(parsed);
      } catch (error) {
        this.failCall(call, error);
      }
    });
  }

  private tooLarge(call: SurfaceCall, limit: number): void {
    call.ctx.res.setHeader('connection', 'close');
    call.fail(uploadTooLarge(limit));
  }

  /**
   * Multipart bodies flow to the provider as they arrive; only the part up to `model` is held. When a second attempt
   * is possible the upload is also spooled to disk, so a retry or fallback can send it again (src/surface/upload-spool.ts).
   */
  private streamMultipart(call: SurfaceCall): void {
    const req = call.ctx.req;
    const limit = this.options.maxRequestBytes();
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) return this.tooLarge(call, limit);
    const boundary = boundaryOf(req.headers['content-type']);
    if (boundary === null) throw invalidRequest('This route takes multipart/form-data with a boundary.', null);
    const needsModel = call.endpoint.mode !== null;
    const res = call.ctx.res;
    const upload = new UploadSpool({
      boundary: needsModel ? boundary : null,
      handler: call,
      lookahead: Math.min(MODEL_LOOKAHEAD_BYTES, limit),
      sizeLimit: limit,
      declaredLength: declared === undefined ? -1 : Number(declared),
      spool: secondAttemptPossible(this.options.router.settings),
      // A half-read connection cannot carry another request: the client must not reuse it.
      onStopReading: () => {
        if (!res.headersSent) res.setHeader('connection', 'close');
      },
    });
    call.upload = upload;
    // The error reaches the client through the call or the upstream exchange; this keeps a late one from crashing the worker.
    upload.on('error', ignoreRequestError);
    req.on('error', (error: Error) => upload.destroy(error));
    req.pipe(upload);
    if (!needsModel) call.startFilesCall();
  }
}
