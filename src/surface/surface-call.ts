// One surface request: resolves what it goes to (a model group through the router, or the deployment that holds a
// file or batch), then sends each attempt the router asks for (mode and provider checks, upstream target, body).
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { readApiKey } from '../auth/api-key.js';
import type { Deployment } from '../config/deployment.js';
import type { ModelGroup } from '../config/snapshot.js';
import { GatewayError, invalidRequest, toGatewayError, unknownModel } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import { GATEWAY_ONLY_FIELDS } from '../dataplane/prepare-upstream-body.js';
import { failRequest, type RequestContext } from '../dataplane/request-context.js';
import { modeOf } from './model-mode.js';
import { imageWireOf } from './images/native-image-wire.js';
import { readRerankRequest } from './rerank/rerank-request.js';
import { rerankWireOf } from './rerank/rerank-wire.js';
import { SurfaceExchange, type ReplyStep, type SurfaceReply } from './surface-exchange.js';
import type { SurfaceEndpoint } from './surface-endpoints.js';
import { replyFor, type ReplyInput, type ReplyOutcome } from './surface-replies.js';
import { surfacePriceOf } from './surface-prices.js';
import type { SurfaceHost } from './surface-host.js';
import type { UploadHandler, UploadSpool } from './upload-spool.js';
import { openaiTarget, rerankTarget, signBedrock, speaksOpenAI, unsupportedProvider, bedrockModelArn, type UpstreamTarget } from './upstream-target.js';

const NO_OWNER = 'default';
const NO_BODY: JsonObject = Object.freeze({}) as JsonObject;

/** SHA-256 of the presented key when keys are configured; every caller is one owner on an open gateway. */
export function ownerOf(ctx: RequestContext, keysConfigured: boolean): string {
  if (!keysConfigured) return NO_OWNER;
  const key = readApiKey(ctx.req.headers);
  return key === null ? NO_OWNER : createHash('sha256').update(key).digest('hex');
}

/** The client's JSON without the fields the gateway consumes (retries, fallbacks, metadata…); `keep` stays. */
function forwardable(body: JsonObject, keep: string | null): JsonObject {
  const out: JsonObject = { ...body };
  for (const field of GATEWAY_ONLY_FIELDS) if (field !== keep) delete out[field];
  return out;
}

function onClientDrain(this: { ctx: RequestContext | null }): void {
  this.ctx?.exchange?.resume();
}

export class SurfaceCall implements UploadHandler, ReplyStep {
  readonly host: SurfaceHost;
  readonly ctx: RequestContext;
  readonly endpoint: SurfaceEndpoint;
  readonly id: string;
  readonly query: string;
  readonly input: ReplyInput;
  /** Multipart body on its way upstream; null for JSON and bodiless calls. */
  upload: UploadSpool | null = null;
  /** Model from an Azure-style deployment path: routes the call whatever the body says. */
  pathModel: string | null = null;
  /** JSON routes: the client's body; each attempt builds its own upstream body from it. */
  private body: JsonObject = NO_BODY;
  /** Speech: cost known from the request, recorded when the audio finished streaming. */
  private pendingCost: number | null = null;
  private drainHooked = false;

  constructor(host: SurfaceHost, ctx: RequestContext, endpoint: SurfaceEndpoint, id: string, query: string) {
    this.host = host;
    this.ctx = ctx;
    this.endpoint = endpoint;
    this.id = id;
    this.query = query;
    this.input = {
      endpoint: endpoint.name, owner: ownerOf(ctx, host.keysConfigured), deployment: null, price: {}, imageSize: '1024x1024', imageQuality: 'standard',
      imageWire: null, rerankWire: null, rerankRequest: null, callId: ctx.callId, store: host.store,
    };
  }

  fail(error: unknown): void {
    failRequest(this.ctx, toGatewayError(error));
  }

  /** The request is over: the upload (and its spool file) is let go. */
  finish(): void {
    this.upload?.discard();
  }

  // ---- Starting the call ----

  /** A model name: its group, the key's access to it, then the router's attempts (retries, fallbacks, cooldowns). */
  private route(model: string, body: JsonObject): void {
    this.ctx.requestedModel = model;
    const group = this.host.resolver.resolve(model);
    if (group === null) throw unknownModel(model);
    const verdict = this.admission(group.name);
    if (verdict === null) return this.beginGroup(group, body);
    if (this.upload !== null) {
      // An upload is already flowing: it goes on, and a denial stops it.
      verdict.then((denied) => this.deniedLate(denied), (error: unknown) => this.deniedLate(toGatewayError(error)));
      return this.beginGroup(group, body);
    }
    verdict.then((denied) => (denied === null ? this.beginGroup(group, body) : this.fail(denied)), (error: unknown) => this.fail(error));
  }

  private beginGroup(group: ModelGroup, body: JsonObject): void {
    if (this.ctx.clientGone) return;
    this.ctx.group = group;
    this.host.begin(this.ctx, body, group);
  }

  /**
   * The key's model access (when the call names a model), budgets and limits under governance, as for chat: null
   * when admitted now, a promise when the verdict needs a lookup (a key not in memory yet, limits shared in Redis).
   */
  private admission(model: string | null): Promise<GatewayError | null> | null {
    const grant = this.ctx.grant;
    if (grant === null) return null;
    const verdict = grant.admit(model, this.ctx.body ?? {}, this.ctx.req.headers);
    if (verdict instanceof GatewayError) throw verdict;
    return verdict;
  }

  /** Files and batches calls name no model: the key, its budgets and limits apply before anything is sent. */
  private async admitted(): Promise<void> {
    const denied = await this.admission(null);
    if (denied !== null) throw denied;
  }

  private deniedLate(denied: GatewayError | null): void {
    const ctx = this.ctx;
    if (denied === null || ctx.res.headersSent) return;
    this.host.abandon(ctx);
    ctx.exchange?.abort();
    failRequest(ctx, denied);
  }

  /** JSON routes: the body is small and already parsed. */
  onJson(body: JsonObject): void {
    this.body = body;
    this.ctx.body = body;
    const name = this.endpoint.name;
    if (name === 'batch_create') return this.onBatchCreate(body);
    if (this.pathModel !== null) body.model = this.pathModel;
    let model = body.model;
    if (model === undefined && name === 'moderation') model = this.host.defaultModelFor('moderation') ?? undefined;
    if (typeof model !== 'string' || model === '') throw invalidRequest('Missing required parameter: model.', 'model');
    if (name === 'rerank') this.input.rerankRequest = readRerankRequest(body);
    if (name === 'image_generation') {
      if (typeof body.size === 'string') this.input.imageSize = body.size;
      if (typeof body.quality === 'string') this.input.imageQuality = body.quality;
    }
    if (name === 'audio_speech') this.ctx.stream = true;
    this.route(model, body);
  }

  /** A batch goes to the deployment holding its input file, which must be the caller's. */
  private onBatchCreate(body: JsonObject): void {
    const fileId = body.input_file_id;
    if (typeof fileId !== 'string' || fileId === '') throw invalidRequest('Missing required parameter: input_file_id.', 'input_file_id');
    this.beginOwned('file', fileId, body).catch((error: unknown) => this.fail(error));
  }

  /** Calls on one object (and batches created from a file): the key first, then the object's owner and deployment. */
  private async beginOwned(kind: 'file' | 'batch', id: string, body: JsonObject): Promise<void> {
    await this.admitted();
    const deployment = await this.owned(kind, id);
    if (!this.ctx.clientGone) this.host.beginPinned(this.ctx, body, deployment);
  }

  /** Multipart routes: called by the upload once the `model` field has been read; false when the call failed. */
  onModelField(model: string): boolean {
    try {
      this.route(this.pathModel ?? model, NO_BODY);
    } catch (error) {
      this.fail(error);
    }
    return !this.ctx.res.headersSent;
  }

  /** The upload failed while no attempt was reading it (too large, malformed, no model). */
  onUploadError(error: GatewayError): void {
    this.host.abandon(this.ctx);
    this.fail(error);
  }

  /** Multipart upload without a model (files), and lists: `?model=` routes them, else the files deployment. */
  startFilesCall(): void {
    const named = new URLSearchParams(this.query).get('model');
    if (named !== null) return this.route(named, NO_BODY);
    const deployment = this.host.defaultFilesDeployment();
    if (deployment === null) throw invalidRequest('No OpenAI or Azure deployment is configured for files and batches.', 'model');
    const verdict = this.admission(null);
    if (verdict === null) return this.host.beginPinned(this.ctx, NO_BODY, deployment);
    if (this.upload !== null) {
      verdict.then((denied) => this.deniedLate(denied), (error: unknown) => this.deniedLate(toGatewayError(error)));
      return this.host.beginPinned(this.ctx, NO_BODY, deployment);
    }
    verdict.then((denied) => (denied === null ? this.host.beginPinned(this.ctx, NO_BODY, deployment) : this.fail(denied)), (error: unknown) => this.fail(error));
  }

  /** Bodiless routes: lists go to the files deployment; id routes to the deployment that holds the object. */
  onBodiless(): void {
    const name = this.endpoint.name;
    if (name === 'file_list' || name === 'batch_list') return this.startFilesCall();
    if (name === 'file_content') this.ctx.stream = true;
    this.beginOwned(name.startsWith('file_') ? 'file' : 'batch', this.id, NO_BODY).catch((error: unknown) => this.fail(error));
  }

  /** The deployment holding an object the caller owns; someone else's object is as absent as a missing one. */
  private async owned(kind: 'file' | 'batch', id: string): Promise<Deployment> {
    const object = await this.host.store.get(kind, id);
    if (object === undefined || object.owner !== this.input.owner) {
      throw new GatewayError({ reason: 'not_found', status: 404, message: `No such ${kind === 'file' ? 'File' : 'Batch'} object: ${id}`, param: 'id' });
    }
    const deployment = this.host.deploymentById(object.deploymentId);
    if (deployment === undefined) throw new GatewayError({ reason: 'not_found', status: 404, message: `The deployment that holds ${id} is no longer configured.`, param: 'id' });
    return deployment;
  }

  // ---- One attempt ----

  /** Sends one attempt to `deployment` (the router's pick, or the pinned deployment); throws to fail the attempt. */
  attempt(deployment: Deployment): void {
    const endpoint = this.endpoint;
    const wanted = endpoint.mode;
    if (wanted !== null) {
      const mode = modeOf(deployment);
      if (mode !== wanted) {
        throw invalidRequest(`Model '${this.ctx.requestedModel ?? deployment.modelGroup}' has mode '${mode}' and cannot serve ${endpoint.publicPath}, which needs a model with mode '${wanted}' (set model_info.mode on the deployment if the name misleads).`, 'model');
      }
      this.input.price = surfacePriceOf(deployment.upstreamModel, { ...deployment.params, ...deployment.modelInfo });
    }
    this.input.deployment = deployment;
    this.input.imageWire = null;
    this.input.rerankWire = null;
    const name = endpoint.name;
    if (name === 'rerank') return this.sendRerank(deployment);
    if (name === 'image_generation' && !speaksOpenAI(deployment)) return this.sendNativeImage(deployment);
    if (!speaksOpenAI(deployment)) throw unsupportedProvider(deployment, endpoint);
    // Files and batches found through a wildcard deployment must stay findable by id.
    if (wanted === null) this.host.remember(deployment);
    if (endpoint.body === 'multipart') return this.sendUpload(deployment);
    if (endpoint.body === 'none') return this.sendBodiless(deployment);
    if (name === 'batch_create') return this.send(deployment, openaiTarget(deployment, endpoint, '', ''), 'POST', JSON.stringify(forwardable(this.body, 'metadata')));
    const upstream: JsonObject = { ...deployment.defaultParams, ...forwardable(this.body, null), model: deployment.upstreamModel };
    if (name === 'audio_speech') {
      const perCharacter = this.input.price.inputCostPerCharacter;
      const text = this.body.input;
      this.pendingCost = perCharacter !== undefined && typeof text === 'string' ? Math.round(text.length * perCharacter * 1e10) / 1e10 : null;
    }
    this.send(deployment, openaiTarget(deployment, endpoint, '', ''), 'POST', JSON.stringify(upstream));
  }

  /** Imagen (Gemini/Vertex) and Bedrock image models, with the adapter's own credentials (key, OAuth, SigV4). */
  private sendNativeImage(deployment: Deployment): void {
    const wire = deployment.adapter !== null && deployment.prepared !== null ? imageWireOf(deployment) : null;
    if (wire === null) throw unsupportedProvider(deployment, this.endpoint);
    const prompt = this.body.prompt;
    if (typeof prompt !== 'string' || prompt === '') throw invalidRequest('Missing required parameter: prompt.', 'prompt');
    const n = typeof this.body.n === 'number' && Number.isInteger(this.body.n) && this.body.n > 0 ? this.body.n : 1;
    this.input.imageWire = wire;
    const prepared = deployment.prepared!;
    const text = JSON.stringify(wire.buildBody({ prompt, n, size: this.input.imageSize }));
    const request = { origin: prepared.origin, path: prepared.basePath + wire.suffix, method: 'POST' as const, headers: { ...prepared.headers }, body: text };
    const target: UpstreamTarget = { origin: request.origin, path: request.path, headers: request.headers };
    const authorizing = deployment.adapter!.authorize?.(request, prepared);
    if (authorizing === undefined) return this.send(deployment, target, 'POST', text);
    authorizing.then(() => this.send(deployment, target, 'POST', text), (error: unknown) => this.host.attemptFailed(this.ctx, toGatewayError(error)));
  }

  private sendRerank(deployment: Deployment): void {
    if (deployment.adapter === null || deployment.prepared === null) throw unsupportedProvider(deployment, this.endpoint);
    const wire = rerankWireOf(deployment.provider);
    this.input.rerankWire = wire;
    const target = rerankTarget(deployment, wire);
    const text = JSON.stringify(wire.buildBody(this.input.rerankRequest!, wire.id === 'bedrock' ? bedrockModelArn(deployment) : deployment.upstreamModel));
    if (wire.id !== 'bedrock') return this.send(deployment, target, 'POST', text);
    const signing = signBedrock(deployment, target, text);
    if (signing === undefined) return this.send(deployment, target, 'POST', text);
    signing.then(() => this.send(deployment, target, 'POST', text), (error: unknown) => this.host.attemptFailed(this.ctx, toGatewayError(error)));
  }

  /** The upload with this deployment's model name: live for a first attempt, replayed from the spool for a retry. */
  private sendUpload(deployment: Deployment): void {
    const endpoint = this.endpoint;
    const target = openaiTarget(deployment, endpoint, '', endpoint.mode === null ? this.query : '');
    target.headers['content-type'] = this.ctx.req.headers['content-type']!;
    const opened = this.upload!.open(endpoint.mode === null ? null : deployment.upstreamModel, (body, length) => {
      if (length >= 0) target.headers['content-length'] = String(length);
      this.send(deployment, target, 'POST', body);
    });
    if (opened) return;
    // Not spooled (retries were off when it arrived) or already failed: the last attempt's error is the answer.
    const last = this.ctx.routing?.lastError;
    throw last === null || last === undefined
      ? new GatewayError({ reason: 'upstream', status: 502, message: 'The upload could not be sent again.', retryable: false })
      : new GatewayError({ reason: last.reason, status: last.status, message: last.message, type: last.type, param: last.param, headers: last.headers, retryable: false });
  }

  private sendBodiless(deployment: Deployment): void {
    const list = this.endpoint.name === 'file_list' || this.endpoint.name === 'batch_list';
    this.send(deployment, openaiTarget(deployment, this.endpoint, list ? '' : this.id, list ? this.query : ''), this.endpoint.method, null);
  }

  private send(deployment: Deployment, target: UpstreamTarget, method: 'GET' | 'POST' | 'DELETE', body: string | Readable | null): void {
    const ctx = this.ctx;
    if (ctx.clientGone || ctx.res.headersSent) return;
    if (body === null || typeof body === 'string') delete target.headers['content-type'];
    if (typeof body === 'string') target.headers['content-type'] = 'application/json';
    const timeoutMs = ctx.routing!.timeoutMs || (ctx.stream ? deployment.streamTimeoutMs : deployment.timeoutMs);
    const exchange = new SurfaceExchange(ctx, deployment.adapter!, timeoutMs, this);
    ctx.exchange = exchange;
    if (ctx.stream && !this.drainHooked) {
      this.drainHooked = true;
      ctx.res.on('drain', onClientDrain);
    }
    ctx.upstreamStartedAt = performance.now();
    ctx.upstreamEndedAt = 0;
    ctx.firstChunkAt = 0;
    this.host.pools.get(target.origin).dispatch(
      { origin: target.origin, path: target.path, method, headers: target.headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
      exchange,
    );
  }

  onSuccessBody(body: Buffer, contentType: string): SurfaceReply | GatewayError | Promise<SurfaceReply | GatewayError> {
    const result = replyFor(this.input, body, contentType);
    return result instanceof Promise ? result.then((settled) => this.accepted(settled)) : this.accepted(result);
  }

  private accepted(result: ReplyOutcome): SurfaceReply | GatewayError {
    if (result instanceof GatewayError) return result;
    if (result.usage !== null) this.ctx.usage = result.usage;
    return result.reply;
  }

  onStreamSuccess(): void {
    if (this.pendingCost !== null) this.ctx.responseCost = this.pendingCost;
  }
}
