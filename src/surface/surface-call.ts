// One surface request from model resolution to dispatch: mode check, provider check, upstream target, reply step.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { readApiKey } from '../auth/api-key.js';
import type { Deployment } from '../config/deployment.js';
import { GatewayError, invalidRequest, toGatewayError, unknownModel } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import { failRequest, type RequestContext } from '../dataplane/request-context.js';
import { modeOf } from './model-mode.js';
import type { ModelFieldHandler } from './multipart-rewrite-stream.js';
import { imageWireOf } from './images/native-image-wire.js';
import { readRerankRequest } from './rerank/rerank-request.js';
import { rerankWireOf } from './rerank/rerank-wire.js';
import { SurfaceExchange, type ReplyStep, type SurfaceReply } from './surface-exchange.js';
import type { SurfaceEndpoint } from './surface-endpoints.js';
import { replyFor, type ReplyInput } from './surface-replies.js';
import { surfacePriceOf } from './surface-prices.js';
import type { SurfaceHost } from './surface-host.js';
import { openaiTarget, rerankTarget, signBedrock, speaksOpenAI, unsupportedProvider, bedrockModelArn, type UpstreamTarget } from './upstream-target.js';

const NO_OWNER = 'default';

/** SHA-256 of the presented key when keys are configured; every caller is one owner on an open gateway. */
export function ownerOf(ctx: RequestContext, keysConfigured: boolean): string {
  if (!keysConfigured) return NO_OWNER;
  const key = readApiKey(ctx.req.headers);
  return key === null ? NO_OWNER : createHash('sha256').update(key).digest('hex');
}

function onClientDrain(this: { ctx: RequestContext | null }): void {
  this.ctx?.exchange?.resume();
}

export class SurfaceCall implements ModelFieldHandler, ReplyStep {
  readonly host: SurfaceHost;
  readonly ctx: RequestContext;
  readonly endpoint: SurfaceEndpoint;
  readonly id: string;
  readonly query: string;
  readonly input: ReplyInput;
  /** Multipart body on its way upstream; null for JSON and bodiless calls. */
  upload: Readable | null = null;
  /** Client's content-length for a multipart body (-1 unknown), adjusted for the model rewrite. */
  uploadLength = -1;
  /** Model from an Azure-style deployment path: routes the call whatever the body says. */
  pathModel: string | null = null;
  /** Speech: cost known from the request, recorded when the audio finished streaming. */
  private pendingCost: number | null = null;

  constructor(host: SurfaceHost, ctx: RequestContext, endpoint: SurfaceEndpoint, id: string, query: string) {
    this.host = host;
    this.ctx = ctx;
    this.endpoint = endpoint;
    this.id = id;
    this.query = query;
    this.input = {
      endpoint: endpoint.name, owner: ownerOf(ctx, host.keysConfigured), deploymentId: '', price: {}, imageSize: '1024x1024', imageQuality: 'standard',
      imageWire: null, rerankWire: null, rerankRequest: null, callId: ctx.callId, store: host.store,
    };
  }

  fail(error: unknown): void {
    failRequest(this.ctx, toGatewayError(error));
  }

  /** The deployment for a model name, checked against the route's mode. */
  pick(model: string): Deployment {
    const ctx = this.ctx;
    ctx.requestedModel = model;
    const group = this.host.resolver.resolve(model);
    if (group === null) throw unknownModel(model);
    this.admit(group.name);
    const picked = this.host.pick(ctx, group);
    if (picked instanceof GatewayError) throw picked;
    const deployment = picked;
    ctx.group = group;
    ctx.deployment = deployment;
    const wanted = this.endpoint.mode;
    const mode = modeOf(deployment);
    if (wanted !== null && mode !== wanted) {
      throw invalidRequest(`Model '${model}' has mode '${mode}' and cannot serve ${this.endpoint.publicPath}, which needs a model with mode '${wanted}' (set model_info.mode on the deployment if the name misleads).`, 'model');
    }
    this.input.deploymentId = deployment.id;
    this.input.price = surfacePriceOf(deployment.upstreamModel, { ...deployment.params, ...deployment.modelInfo });
    return deployment;
  }

  /**
   * The key's model access, budgets and limits (governance), as for chat. A shared (Redis) verdict arrives after
   * dispatch: a denial then stops the upstream call and answers with the error.
   */
  private admit(model: string): void {
    const grant = this.ctx.grant;
    if (grant === null) return;
    const verdict = grant.admit(model, this.ctx.body ?? {}, this.ctx.req.headers);
    if (verdict instanceof GatewayError) throw verdict;
    if (verdict !== null) verdict.then((denied) => this.deniedLate(denied), (error: unknown) => this.deniedLate(toGatewayError(error)));
  }

  private deniedLate(denied: GatewayError | null): void {
    const ctx = this.ctx;
    if (denied === null || ctx.res.headersSent) return;
    ctx.exchange?.abort();
    failRequest(ctx, denied);
  }

  /** JSON routes: the body is small and already parsed. */
  onJson(body: JsonObject): void {
    const name = this.endpoint.name;
    if (name === 'batch_create') return this.onBatchCreate(body);
    if (this.pathModel !== null) body.model = this.pathModel;
    let model = body.model;
    if (model === undefined && name === 'moderation') model = this.host.defaultModelFor('moderation') ?? undefined;
    if (typeof model !== 'string' || model === '') throw invalidRequest('Missing required parameter: model.', 'model');
    this.ctx.body = body;
    const deployment = this.pick(model);
    if (name === 'rerank') return this.sendRerank(deployment, body);
    if (name === 'image_generation') {
      if (typeof body.size === 'string') this.input.imageSize = body.size;
      if (typeof body.quality === 'string') this.input.imageQuality = body.quality;
      if (!speaksOpenAI(deployment)) return this.sendNativeImage(deployment, body);
    }
    if (!speaksOpenAI(deployment)) throw unsupportedProvider(deployment, this.endpoint);
    const upstream: JsonObject = { ...deployment.defaultParams, ...body, model: deployment.upstreamModel };
    if (name === 'audio_speech') {
      this.ctx.stream = true;
      const perCharacter = this.input.price.inputCostPerCharacter;
      if (perCharacter !== undefined && typeof body.input === 'string') this.pendingCost = Math.round(body.input.length * perCharacter * 1e10) / 1e10;
    }
    this.send(deployment, openaiTarget(deployment, this.endpoint, '', ''), 'POST', JSON.stringify(upstream));
  }

  /** Imagen (Gemini/Vertex) and Bedrock image models, with the adapter's own credentials (key, OAuth, SigV4). */
  private sendNativeImage(deployment: Deployment, body: JsonObject): void {
    const wire = deployment.adapter !== null && deployment.prepared !== null ? imageWireOf(deployment) : null;
    if (wire === null) throw unsupportedProvider(deployment, this.endpoint);
    const prompt = body.prompt;
    if (typeof prompt !== 'string' || prompt === '') throw invalidRequest('Missing required parameter: prompt.', 'prompt');
    const n = typeof body.n === 'number' && Number.isInteger(body.n) && body.n > 0 ? body.n : 1;
    this.input.imageWire = wire;
    const prepared = deployment.prepared!;
    const text = JSON.stringify(wire.buildBody({ prompt, n, size: this.input.imageSize }));
    const request = { origin: prepared.origin, path: prepared.basePath + wire.suffix, method: 'POST' as const, headers: { ...prepared.headers }, body: text };
    const target: UpstreamTarget = { origin: request.origin, path: request.path, headers: request.headers };
    const authorizing = deployment.adapter!.authorize?.(request, prepared);
    if (authorizing === undefined) return this.send(deployment, target, 'POST', text);
    authorizing.then(() => this.send(deployment, target, 'POST', text), (error: unknown) => this.fail(error));
  }

  private sendRerank(deployment: Deployment, body: JsonObject): void {
    if (deployment.adapter === null || deployment.prepared === null) throw unsupportedProvider(deployment, this.endpoint);
    const request = readRerankRequest(body);
    const wire = rerankWireOf(deployment.provider);
    this.input.rerankWire = wire;
    this.input.rerankRequest = request;
    const target = rerankTarget(deployment, wire);
    const text = JSON.stringify(wire.buildBody(request, wire.id === 'bedrock' ? bedrockModelArn(deployment) : deployment.upstreamModel));
    if (wire.id !== 'bedrock') return this.send(deployment, target, 'POST', text);
    const signing = signBedrock(deployment, target, text);
    if (signing === undefined) return this.send(deployment, target, 'POST', text);
    signing.then(() => this.send(deployment, target, 'POST', text), (error: unknown) => this.fail(error));
  }

  private onBatchCreate(body: JsonObject): void {
    const fileId = body.input_file_id;
    if (typeof fileId !== 'string' || fileId === '') throw invalidRequest('Missing required parameter: input_file_id.', 'input_file_id');
    const deployment = this.owned('file', fileId);
    this.ctx.body = body;
    this.send(deployment, openaiTarget(deployment, this.endpoint, '', ''), 'POST', JSON.stringify(body));
  }

  /** Multipart routes: called by the rewrite stream once the `model` field has been read. */
  onModelField(model: string): string | null {
    try {
      const deployment = this.pick(this.pathModel ?? model);
      if (!speaksOpenAI(deployment)) throw unsupportedProvider(deployment, this.endpoint);
      const replacement = deployment.upstreamModel;
      if (this.uploadLength >= 0) this.uploadLength += Buffer.byteLength(replacement) - Buffer.byteLength(model, 'utf8');
      this.sendUpload(deployment, openaiTarget(deployment, this.endpoint, '', ''));
      return replacement;
    } catch (error) {
      this.fail(error);
      return null;
    }
  }

  onModelFieldMissing(error: GatewayError): void {
    this.fail(error);
  }

  /** Multipart upload without a model (files): straight to the files deployment. */
  startFileUpload(): void {
    const deployment = this.filesDeployment();
    this.sendUpload(deployment, openaiTarget(deployment, this.endpoint, '', this.query));
  }

  private sendUpload(deployment: Deployment, target: UpstreamTarget): void {
    target.headers['content-type'] = this.ctx.req.headers['content-type']!;
    if (this.uploadLength >= 0) target.headers['content-length'] = String(this.uploadLength);
    this.send(deployment, target, 'POST', this.upload);
  }

  /** Bodiless routes: lists go to the files deployment; id routes to the deployment that holds the object. */
  onBodiless(): void {
    const name = this.endpoint.name;
    if (name === 'file_list' || name === 'batch_list') {
      const deployment = this.filesDeployment();
      return this.send(deployment, openaiTarget(deployment, this.endpoint, '', this.query), 'GET', null);
    }
    const kind = name.startsWith('file_') ? 'file' : 'batch';
    const deployment = this.owned(kind, this.id);
    if (name === 'file_content') this.ctx.stream = true;
    this.send(deployment, openaiTarget(deployment, this.endpoint, this.id, ''), this.endpoint.method, null);
  }

  /** The deployment holding an object the caller owns; someone else's object is as absent as a missing one. */
  private owned(kind: 'file' | 'batch', id: string): Deployment {
    const object = this.host.store.get(kind, id);
    if (object === undefined || object.owner !== this.input.owner) {
      throw new GatewayError({ reason: 'not_found', status: 404, message: `No such ${kind === 'file' ? 'File' : 'Batch'} object: ${id}`, param: 'id' });
    }
    const deployment = this.host.deploymentById(object.deploymentId);
    if (deployment === undefined) throw new GatewayError({ reason: 'not_found', status: 404, message: `The deployment that holds ${id} is no longer configured.`, param: 'id' });
    this.ctx.deployment = deployment;
    this.input.deploymentId = deployment.id;
    return deployment;
  }

  private filesDeployment(): Deployment {
    const named = new URLSearchParams(this.query).get('model');
    const deployment = named !== null ? this.pick(named) : this.host.defaultFilesDeployment();
    if (deployment === null) throw invalidRequest('No OpenAI or Azure deployment is configured for files and batches.', 'model');
    if (!speaksOpenAI(deployment)) throw unsupportedProvider(deployment, this.endpoint);
    this.ctx.deployment = deployment;
    this.input.deploymentId = deployment.id;
    this.host.remember(deployment);
    return deployment;
  }

  private send(deployment: Deployment, target: UpstreamTarget, method: 'GET' | 'POST' | 'DELETE', body: string | Readable | null): void {
    const ctx = this.ctx;
    if (ctx.clientGone) return;
    if (body === null || typeof body === 'string') delete target.headers['content-type'];
    if (typeof body === 'string') target.headers['content-type'] = 'application/json';
    const timeoutMs = ctx.stream ? deployment.streamTimeoutMs : deployment.timeoutMs;
    const exchange = new SurfaceExchange(ctx, deployment.adapter!, timeoutMs, this);
    ctx.exchange = exchange;
    if (ctx.stream) ctx.res.on('drain', onClientDrain);
    ctx.upstreamStartedAt = performance.now();
    this.host.pools.get(target.origin).dispatch(
      { origin: target.origin, path: target.path, method, headers: target.headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
      exchange,
    );
  }

  onSuccessBody(body: Buffer, contentType: string): SurfaceReply | GatewayError {
    const result = replyFor(this.input, body, contentType);
    if (result instanceof GatewayError) return result;
    if (result.usage !== null) this.ctx.usage = result.usage;
    return result.reply;
  }

  onStreamSuccess(): void {
    if (this.pendingCost !== null) this.ctx.responseCost = this.pendingCost;
  }
}
