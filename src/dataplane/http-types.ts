// Node's request/response classes extended with one slot for the request's context (no per-request closures).
import { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from './request-context.js';

export class GatewayIncomingMessage extends IncomingMessage {
  ctx: RequestContext | null = null;
}

export class GatewayServerResponse extends ServerResponse<GatewayIncomingMessage> {
  ctx: RequestContext | null = null;
}
