// The HTTP server and its hot path: route → authenticate → read body once → resolve model → dispatch → respond.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SecretMatcher, readApiKey } from '../auth/api-key.js';
import { createResponseCache, handleCacheAdmin, type ResponseCache } from '../cache/index.js';
import { ModelResolver } from '../config/model-resolver.js';
import type { Deployment } from '../config/deployment.js';
import type { ModelGroup, RuntimeSnapshot } from '../config/snapshot.js';
import { GatewayError, authError, invalidRequest, notFound, toGatewayError, unknownModel } from '../core/errors.js';
import { isJsonObject, type JsonObject } from '../core/json.js';
import type { UpstreamRequest } from '../core/provider-contract.js';
import type { UpstreamSender } from '../inbound/inbound-call.js';
import { PassThroughForwarder } from '../inbound/passthrough/forwarder.js';
import { passThroughAllowed } from '../inbound/passthrough/master-key.js';
import { logger } from '../logging/logger.js';
import type { MetricsSource } from '../metrics/metrics-source.js';
import { writeMetrics } from '../metrics/metrics-server.js';
import { readinessReport } from '../health/readiness-probes.js';
import { AttemptRunner, type AttemptHost } from '../router/attempt-runner.js';
import { HealthChecker } from '../router/health-check.js';
import { Router } from '../router/router.js';
import { processRouterStatus, type ProcessRouterStatus } from '../router/router-status.js';
import { GatewayIncomingMessage, GatewayServerResponse } from './http-types.js';
import { answerWithMock } from './mock-answer.js';
import { prepareUpstreamBody } from './prepare-upstream-body.js';
import { keepRawBody, splicedBody } from './raw-body-forward.js';
import { RequestContext, failRequest } from './request-context.js';
import { gatewayHeaders } from './response-headers.js';
import type { RequestObserver, RequestOutcome } from './request-outcome.js';
import { RouteTable, type Role, type Route } from './routes.js';
import { modelInfoBody, modelsListBody } from './static-responses.js';
import { UpstreamExchange } from './upstream-exchange.js';
import { UpstreamPools } from './upstream-pools.js';
import { validateBody } from './validate-body.js';
import { requestStreamUsage } from './stream-usage-filter.js';
import type { AccessControl, ManagementHandler } from './access-control.js';
import { textRouteMismatch } from '../surface/model-mode.js';
import { SurfaceHandler } from '../surface/surface-handler.js';
import { applySurfaceCost } from '../surface/grant-cost.js';
import type { OwnershipStore } from '../surface/ownership-store.js';

export interface GatewayOptions {
  role: Role;
  /** A router built elsewhere (tests: seeded random source); default: one built from the snapshot. */
  router?: Router;
  /** Told about every finished request, after its response (spend, metrics, callbacks). */
  observers?: readonly RequestObserver[];
  /** What `GET /metrics` renders; absent: the route answers 404. */
  metrics?: MetricsSource;
  /** Virtual keys, budgets and limits; without it only the master key is checked. */
  access?: AccessControl;
  /** The management API, for roles that serve it. */
  management?: ManagementHandler;
  /** Who owns which file and batch (src/surface/ownership-store.ts); in memory when absent. */
  ownershipStore?: OwnershipStore;
}

function onBodyData(this: GatewayIncomingMessage, chunk: Buffer): void {
  const ctx = this.ctx!;
  const chunks = ctx.bodyChunks;
  if (chunks === null) return;
  ctx.bodyLength += chunk.length;
  if (ctx.bodyLength > ctx.owner.maxRequestBytes) {
    ctx.bodyChunks = null;
    rejectTooLarge(ctx, ctx.owner.maxRequestBytes);
    return;
  }
  chunks.push(chunk);
}

function onBodyEnd(this: GatewayIncomingMessage): void {
  const ctx = this.ctx!;
  if (ctx.bodyChunks !== null) ctx.owner.onBody(ctx);
}

function onRequestError(this: GatewayIncomingMessage): void {
  const ctx = this.ctx!;
  ctx.bodyChunks = null;
  ctx.clientGone = true;
}

function onResponseClose(this: GatewayServerResponse): void {
  const ctx = this.ctx!;
  if (!this.writableFinished) {
    ctx.clientGone = true;
    ctx.exchange?.abort();
  }
  ctx.owner.onFinished(ctx);
}

function onResponseDrain(this: GatewayServerResponse): void {
  this.ctx?.exchange?.resume();
}

function rejectTooLarge(ctx: RequestContext, limit: number): void {
  ctx.res.setHeader('connection', 'close');
  const megabytes = limit / (1024 * 1024);
  const message = `Request body is larger than the maximum allowed size of ${megabytes} MB (general_settings.max_request_size_mb).`;
  failRequest(ctx, new GatewayError({ reason: 'payload_too_large', status: 413, message }));
}

function sendJson(ctx: RequestContext, status: number, body: string): void {
  ctx.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-litellm-call-id': ctx.callId });
  ctx.res.end(body);
}

export class Gateway implements AttemptHost, UpstreamSender {
  readonly server: Server<typeof GatewayIncomingMessage, typeof GatewayServerResponse>;
  maxRequestBytes: number;
  private snapshot: RuntimeSnapshot;
  private resolver: ModelResolver;
  /** The resolver emptied its wildcard cache: the router drops those deployments' idle state with it. */
  private readonly forgetWildcardStates = (): void => {
    this.router.forgetIdleDynamicStates();
  };
  private masterKey: SecretMatcher | null;
  private readonly routes: RouteTable;
  private readonly pools: UpstreamPools;
  /** Null when caching is off: the stage is skipped, nothing awaited. */
  private readonly cache: ResponseCache | null;
  private passThrough: PassThroughForwarder;
  private modelsBody: string;
  private modelInfo: string;
  private readonly observers: readonly RequestObserver[];
  private readonly metrics: MetricsSource | null;
  readonly router: Router;
  private readonly attempts: AttemptRunner;
  private health: HealthChecker;
  private readonly access: AccessControl | null;
  private readonly management: ManagementHandler | null;
  /** Images, audio, moderations, rerank, files and batches (src/surface); null on the control plane. */
  private surface: SurfaceHandler | null;
  private inFlight = 0;
  private draining = false;
  private idleWaiters: Array<() => void> = [];

  constructor(snapshot: RuntimeSnapshot, options: GatewayOptions) {
    this.snapshot = snapshot;
    this.resolver = new ModelResolver(snapshot, this.forgetWildcardStates);
    this.masterKey = snapshot.settings.masterKey === null ? null : new SecretMatcher(snapshot.settings.masterKey);
    this.maxRequestBytes = snapshot.settings.maxRequestBytes;
    this.routes = new RouteTable(options.role);
    this.observers = options.observers ?? [];
    this.metrics = options.metrics ?? null;
    // A control-plane-only process routes nothing: no shared-state connection for it.
    this.router = options.router ?? new Router(snapshot, options.role === 'control' ? { shared: null } : {});
    this.attempts = new AttemptRunner(this.router, this);
    this.health = new HealthChecker(snapshot);
    this.access = options.access ?? null;
    this.management = options.role === 'data' ? null : (options.management ?? null);
    this.pools = new UpstreamPools({ connections: snapshot.settings.connectionPoolSize, connectTimeoutMs: snapshot.settings.connectionPoolTimeoutMs });
    this.cache = createResponseCache(snapshot, this.pools, this.forwardAfterCache.bind(this));
    this.passThrough = new PassThroughForwarder(snapshot, this.pools);
    this.modelsBody = modelsListBody(snapshot, Math.floor(Date.now() / 1000));
    this.modelInfo = modelInfoBody(snapshot);
    this.surface = options.role === 'control' ? null : new SurfaceHandler(snapshot, this.resolver, this.pools, {
      authenticate: (ctx) => (this.access === null && this.masterKey === null) || this.authenticate(ctx),
      keysConfigured: () => this.access !== null || this.masterKey !== null,
      maxRequestBytes: () => this.maxRequestBytes,
      router: this.router,
      ...(options.ownershipStore !== undefined ? { store: options.ownershipStore } : {}),
    });
    this.server = createServer<typeof GatewayIncomingMessage, typeof GatewayServerResponse>(
      { IncomingMessage: GatewayIncomingMessage, ServerResponse: GatewayServerResponse, keepAliveTimeout: 65_000 },
      this.handle.bind(this),
    );
    // Upstream and client timeouts are ours to set; Node's 5-minute request timeout would cut long streams.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 60_000;
  }

  get config(): RuntimeSnapshot {
    return this.snapshot;
  }

  /**
   * Swaps in a new config snapshot in one step: requests already routed keep their old deployment objects; new requests
   * use the new snapshot. Upstream pools are kept (keyed by origin), so connections to unchanged providers stay warm.
   */
  reload(snapshot: RuntimeSnapshot): void {
    const resolver = new ModelResolver(snapshot, this.forgetWildcardStates);
    const masterKey = snapshot.settings.masterKey === null ? null : new SecretMatcher(snapshot.settings.masterKey);
    const modelsBody = modelsListBody(snapshot, Math.floor(Date.now() / 1000));
    const modelInfo = modelInfoBody(snapshot);
    const passThrough = new PassThroughForwarder(snapshot, this.pools);
    this.snapshot = snapshot;
    this.passThrough = passThrough;
    this.resolver = resolver;
    this.masterKey = masterKey;
    this.maxRequestBytes = snapshot.settings.maxRequestBytes;
    this.modelsBody = modelsBody;
    this.modelInfo = modelInfo;
    this.router.reload(snapshot);
    this.surface?.reload(snapshot, resolver);
    this.health.close();
    this.health = new HealthChecker(snapshot);
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port, host, exclusive: false }, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Listens on a unix socket (or Windows pipe): the control-plane child's private address. */
  listenPath(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ path }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** Cooldowns, recent latency and errors per deployment and the last health check, from memory (Models screen). */
  routerStatus(): ProcessRouterStatus {
    return processRouterStatus(this.router.states.all(), this.health.lastReport());
  }

  private handle(req: GatewayIncomingMessage, res: GatewayServerResponse): void {
    const ctx = new RequestContext(this, req, res, performance.now());
    req.ctx = ctx;
    res.ctx = ctx;
    this.inFlight++;
    res.on('close', onResponseClose);
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const found = this.routes.match(path);
    if (found === null) {
      if (this.management !== null && this.management.handles(path)) return this.management.handle(req, res, path, query === -1 ? '' : url.slice(query + 1));
      if (this.surface !== null && this.surface.handle(ctx, req.method ?? 'GET', path, query === -1 ? '' : url.slice(query + 1))) return;
      return failRequest(ctx, notFound(req.method ?? 'GET', path));
    }
    const route = found.route;
    if (route.passThrough !== undefined) {
      if (this.masterKey !== null && !passThroughAllowed(ctx, this.masterKey)) return;
      return this.passThrough.forward(ctx, route.passThrough, url);
    }
    if (req.method !== route.method) {
      res.setHeader('allow', route.method);
      return failRequest(ctx, new GatewayError({ reason: 'method_not_allowed', status: 405, message: `Method ${req.method ?? ''} not allowed on ${path}; use ${route.method}.` }));
    }
    if (route.kind !== 'llm') return this.handleStatic(ctx, route);
    ctx.route = route;
    if ((this.access !== null || this.masterKey !== null) && !this.authenticate(ctx)) return;
    ctx.operation = route.operation;
    ctx.modelFromPath = found.model;
    const declared = Number(req.headers['content-length']);
    if (declared > this.maxRequestBytes) return rejectTooLarge(ctx, this.maxRequestBytes);
    ctx.bodyChunks = [];
    req.on('data', onBodyData);
    req.on('end', onBodyEnd);
    req.on('error', onRequestError);
  }

  private authenticate(ctx: RequestContext): boolean {
    const key = readApiKey(ctx.req.headers);
    if (this.access !== null) {
      const verdict = this.access.authenticate(key);
      if (verdict instanceof GatewayError) {
        failRequest(ctx, verdict);
        return false;
      }
      ctx.grant = verdict;
      return true;
    }
    if (key === null) {
      failRequest(ctx, authError('Authentication Error, No api key passed in.'));
      return false;
    }
    if (!this.masterKey!.matches(key)) {
      failRequest(ctx, authError('Authentication Error, Invalid proxy server token passed. Unable to find token in cache or `LiteLLM_VerificationTokenTable`'));
      return false;
    }
    return true;
  }

  private handleStatic(ctx: RequestContext, route: Route): void {
    switch (route.kind) {
      case 'liveliness':
        return sendJson(ctx, 200, '"I\'m alive!"');
      case 'readiness':
        return void readinessReport(this.draining).then((report) => sendJson(ctx, report.ready ? 200 : 503, report.body));
      case 'metrics':
        if (this.metrics === null) break;
        if (this.snapshot.settings.requireAuthForMetrics && this.masterKey !== null && !this.authenticate(ctx)) return;
        ctx.status = 200;
        return writeMetrics(ctx.res, this.metrics, { 'x-litellm-call-id': ctx.callId });
      case 'models':
        if ((this.access !== null || this.masterKey !== null) && !this.authenticate(ctx)) return;
        return sendJson(ctx, 200, this.modelsBody);
      case 'health':
        if (this.masterKey !== null && !this.authenticate(ctx)) return;
        return void this.health.report().then((report) => sendJson(ctx, 200, JSON.stringify(report)), (error: unknown) => failRequest(ctx, toGatewayError(error)));
      case 'model_info':
        if ((this.access !== null || this.masterKey !== null) && !this.authenticate(ctx)) return;
        return sendJson(ctx, 200, this.modelInfo);
      case 'cache_ping':
      case 'cache_delete':
      case 'cache_flushall':
        if (this.masterKey === null) return failRequest(ctx, authError('The management API needs a master key (general_settings.master_key or LITELLM_MASTER_KEY).'));
        if (!this.authenticate(ctx)) return;
        void handleCacheAdmin(route.kind, this.cache, ctx.req, ctx.res);
        return;
      default:
        break;
    }
    return failRequest(ctx, notFound(ctx.req.method ?? 'GET', ctx.req.url ?? ''));
  }

  /** Called once the whole body has arrived. */
  onBody(ctx: RequestContext): void {
    const chunks = ctx.bodyChunks!;
    ctx.bodyChunks = null;
    let parsed: unknown;
    let raw: Buffer;
    try {
      raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, ctx.bodyLength);
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return failRequest(ctx, invalidRequest('Malformed JSON in request body.'));
    }
    if (!isJsonObject(parsed)) return failRequest(ctx, invalidRequest('Request body must be a JSON object.'));
    // Routes that rewrite the body before routing (inbound APIs, a model taken from the path) never forward raw bytes.
    if (ctx.route!.inbound === undefined && ctx.modelFromPath === null) ctx.rawBody = keepRawBody(raw, parsed);
    try {
      this.dispatch(ctx, parsed);
    } catch (error) {
      const gatewayError = toGatewayError(error);
      if (gatewayError.reason === 'internal') logger.error({ err: error, callId: ctx.callId }, 'request failed');
      failRequest(ctx, gatewayError);
    }
  }

  private dispatch(ctx: RequestContext, body: JsonObject): void {
    const inbound = ctx.route!.inbound;
    if (inbound !== undefined) body = inbound.accept(ctx, body);
    if (ctx.modelFromPath !== null) body.model = ctx.modelFromPath;
    const problem = validateBody(ctx.operation, body);
    if (problem !== null) throw problem;
    const model = body.model as string;
    ctx.requestedModel = model;
    const group = this.resolver.resolve(model);
    if (group === null) throw unknownModel(model);
    // Image, audio, moderation and rerank models never answer chat, completion or embedding routes.
    const mismatch = textRouteMismatch(group.deployments[0]!, model, ctx.req.url ?? '');
    if (mismatch !== null) throw invalidRequest(mismatch, 'model');
    if (ctx.grant !== null) {
      const verdict = ctx.grant.admit(group.name, body, ctx.req.headers);
      if (verdict instanceof GatewayError) throw verdict;
      // Shared (Redis) limits answer after one round trip; local decisions are synchronous (null).
      if (verdict !== null) return void verdict.then((denied) => this.afterAdmission(ctx, body, group, denied), (error: unknown) => failRequest(ctx, toGatewayError(error)));
    }
    this.dispatchAdmitted(ctx, body, group);
  }

  private afterAdmission(ctx: RequestContext, body: JsonObject, group: ModelGroup, denied: GatewayError | null): void {
    if (denied !== null) return failRequest(ctx, denied);
    try {
      this.dispatchAdmitted(ctx, body, group);
    } catch (error) {
      failRequest(ctx, toGatewayError(error));
    }
  }

  private dispatchAdmitted(ctx: RequestContext, body: JsonObject, group: ModelGroup): void {
    ctx.group = group;
    ctx.stream = body.stream === true;
    ctx.body = body;
    if (ctx.stream) ctx.res.on('drain', onResponseDrain);
    // Inbound APIs (/v1/messages, /v1/responses) are not cached: entries hold OpenAI-shaped answers.
    if (this.cache !== null && ctx.inbound === null) {
      if (ctx.grant !== null) ctx.cacheScope = ctx.grant.cacheScope();
      if (this.cache.intercept(ctx, body)) return;
    }
    this.forward(ctx, body);
  }

  /** The dispatch tail after the cache stage: the router's attempts (retries, fallbacks). */
  private forward(ctx: RequestContext, body: JsonObject): void {
    this.attempts.begin(ctx, body, ctx.group!);
  }


  resolveGroup(model: string): ModelGroup | null {
    return this.resolver.resolve(model);
  }

  /** One attempt against one deployment, from a shallow copy of the client's body (the router may retry). */
  sendAttempt(ctx: RequestContext, deployment: Deployment): void {
    // Inbound APIs (/v1/messages, /v1/responses) forward natively or answer locally when this deployment allows it.
    if (ctx.inbound !== null && ctx.inbound.intercept(ctx, deployment, this)) return;
    const body: JsonObject = { ...ctx.routing!.original };
    const mockText = typeof body.mock_response === 'string' ? body.mock_response : deployment.mockResponse;
    if (mockText !== null || deployment.adapter === null || deployment.prepared === null) {
      return answerWithMock(ctx, body, mockText ?? '');
    }
    const settings = this.snapshot.settings;
    prepareUpstreamBody(body, deployment, { dropParams: settings.dropParams, maxTokensCap: ctx.operation === 'embedding' ? null : settings.maxTokensCap });
    // Native protocols report stream usage themselves (their translator tracks it); OpenAI-style ones must be asked.
    if (ctx.stream && ctx.grant !== null && ctx.operation !== 'embedding' && deployment.adapter.createStreamTranslator === undefined) ctx.stripStreamUsage = requestStreamUsage(body, deployment);
    const encoded = ctx.rawBody !== null && deployment.adapter.sendsBodyAsJson === true ? splicedBody(ctx.rawBody, body) : null;
    const request = deployment.adapter.buildRequest(ctx.operation, body, deployment.prepared, encoded ?? undefined);
    // Per-request credentials (SigV4, OAuth): synchronous once warm, otherwise the dispatch waits for them.
    const authorizing = deployment.adapter.authorize?.(request, deployment.prepared);
    if (authorizing !== undefined) return void authorizing.then(() => this.sendUpstream(ctx, deployment, request), (error: unknown) => this.onAttemptFailed(ctx, toGatewayError(error)));
    this.sendUpstream(ctx, deployment, request);
  }

  /** The shared transport: one undici dispatch per upstream call, answered through an UpstreamExchange (also used by inbound APIs' native forwards). */
  sendUpstream(ctx: RequestContext, deployment: Deployment, request: UpstreamRequest): void {
    if (ctx.clientGone) return;
    const timeoutMs = ctx.routing!.timeoutMs || (ctx.stream ? deployment.streamTimeoutMs : deployment.timeoutMs);
    const exchange = new UpstreamExchange(ctx, deployment.adapter!, timeoutMs);
    ctx.exchange = exchange;
    ctx.upstreamStartedAt = performance.now();
    ctx.upstreamEndedAt = 0;
    ctx.firstChunkAt = 0;
    this.pools.get(request.origin).dispatch(
      { origin: request.origin, path: request.path, method: request.method, headers: request.headers, body: request.body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
      exchange,
    );
  }

  onAttemptFailed(ctx: RequestContext, error: GatewayError): void {
    // Surface calls (src/surface) run their own attempt loop over the same router.
    if (ctx.endpoint !== null) return this.surface!.onAttemptFailed(ctx, error);
    if (ctx.routing === null) return this.failFinal(ctx, error);
    this.attempts.onAttemptFailed(ctx, error);
  }

  /** No retry or fallback is left: answer with the last error and the routing headers. */
  failFinal(ctx: RequestContext, error: GatewayError): void {
    const upstreamMs = ctx.upstreamEndedAt > ctx.upstreamStartedAt ? ctx.upstreamEndedAt - ctx.upstreamStartedAt : 0;
    failRequest(ctx, error, gatewayHeaders(ctx, upstreamMs));
  }

  /** The cache's continuation after an asynchronous miss: errors are answered here, as in onBody. */
  private forwardAfterCache(ctx: RequestContext, body: JsonObject): void {
    try {
      this.forward(ctx, body);
    } catch (error) {
      const gatewayError = toGatewayError(error);
      if (gatewayError.reason === 'internal') logger.error({ err: error, callId: ctx.callId }, 'request failed');
      failRequest(ctx, gatewayError);
    }
  }

  onFinished(ctx: RequestContext): void {
    this.inFlight--;
    if (ctx.endpoint !== null) this.surface?.onFinished(ctx);
    else if (ctx.routing !== null) this.attempts.onFinished(ctx);
    if (this.observers.length > 0 && ctx.route !== null && ctx.route.kind === 'llm') this.notifyObservers(ctx);
    if (this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private notifyObservers(ctx: RequestContext): void {
    const deployment = ctx.deployment;
    const outcome: RequestOutcome = {
      callId: ctx.callId,
      operation: ctx.operation,
      requestedModel: ctx.requestedModel,
      modelGroup: ctx.group?.name ?? null,
      deployment,
      status: ctx.status === 0 && ctx.clientGone ? 499 : ctx.status,
      error: ctx.error,
      stream: ctx.stream,
      startedAt: ctx.startedAt,
      endedAt: performance.now(),
      upstreamMs: ctx.upstreamEndedAt > ctx.upstreamStartedAt ? ctx.upstreamEndedAt - ctx.upstreamStartedAt : 0,
      timeToFirstTokenMs: ctx.firstChunkAt > 0 ? ctx.firstChunkAt - ctx.upstreamStartedAt : 0,
      usage: ctx.usage,
      clientDisconnected: ctx.clientGone,
      requestBody: ctx.body,
      upstreamHeaders: ctx.upstreamHeaders,
      traceparent: ctx.req.headers.traceparent,
      grant: ctx.grant,
      cacheHit: ctx.cacheKey === null ? null : ctx.cacheHit,
      responseCost: ctx.responseCost ?? undefined,
      endpoint: ctx.endpoint,
    };
    if (ctx.grant !== null) {
      if (ctx.responseCost !== null) applySurfaceCost(ctx.grant, ctx.responseCost);
      ctx.grant.describe(outcome);
    }
    for (const observer of this.observers) {
      try {
        observer.onRequestFinished(outcome);
      } catch (error) {
        logger.error({ err: error }, 'request observer failed');
      }
    }
  }

  /** Stops accepting connections, lets in-flight requests finish for up to `graceMs`, then closes everything. */
  async shutdown(graceMs: number): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    this.server.closeAllConnections();
    await closed;
    await this.pools.close();
    await this.router.close();
    this.health.close();
    await this.cache?.close();
  }
}
