// Everything one request carries through the hot path; every field is set in the constructor (stable shape).
import { randomUUID } from 'node:crypto';
import type { Deployment } from '../config/deployment.js';
import type { ModelGroup } from '../config/snapshot.js';
import type { JsonObject } from '../core/json.js';
import type { Operation } from '../core/operation.js';
import type { GatewayIncomingMessage, GatewayServerResponse } from './http-types.js';
import type { UpstreamExchange } from './upstream-exchange.js';

/** What a context reports back to: the gateway that owns it (kept abstract to avoid an import cycle). */
export interface ContextOwner {
  readonly maxRequestBytes: number;
  onBody(ctx: RequestContext): void;
  onFinished(ctx: RequestContext): void;
}

export class RequestContext {
  readonly owner: ContextOwner;
  readonly req: GatewayIncomingMessage;
  readonly res: GatewayServerResponse;
  readonly startedAt: number;
  readonly callId: string;
  operation: Operation;
  /** Model named by an Azure-style path (`/openai/deployments/{model}/…`), which wins over the body's. */
  modelFromPath: string | null;
  bodyChunks: Buffer[] | null;
  bodyLength: number;
  body: JsonObject | null;
  group: ModelGroup | null;
  deployment: Deployment | null;
  stream: boolean;
  upstreamStartedAt: number;
  upstreamHeadersAt: number;
  upstreamEndedAt: number;
  exchange: UpstreamExchange | null;
  clientGone: boolean;

  constructor(owner: ContextOwner, req: GatewayIncomingMessage, res: GatewayServerResponse, startedAt: number) {
    this.owner = owner;
    this.req = req;
    this.res = res;
    this.startedAt = startedAt;
    const given = req.headers['x-litellm-call-id'];
    this.callId = typeof given === 'string' && given !== '' && given.length <= 128 ? given : randomUUID();
    this.operation = 'chat';
    this.modelFromPath = null;
    this.bodyChunks = null;
    this.bodyLength = 0;
    this.body = null;
    this.group = null;
    this.deployment = null;
    this.stream = false;
    this.upstreamStartedAt = 0;
    this.upstreamHeadersAt = 0;
    this.upstreamEndedAt = 0;
    this.exchange = null;
    this.clientGone = false;
  }
}
