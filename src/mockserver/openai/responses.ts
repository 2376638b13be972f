// POST /v1/responses: a real-shaped Responses API object, or its typed SSE event stream.
import { asRecord, asString } from '../json.js';
import { planReply } from '../reply.js';
import { sendReply } from '../send.js';
import type { MockContext } from '../types.js';
import { responsesPrompt } from './prompt.js';
import { responseObject, type ResponseBase } from './responses-object.js';
import { streamResponse } from './responses-stream.js';
import { nowSeconds } from './usage.js';

export function handleResponses(ctx: MockContext): void {
  const body = asRecord(ctx.body) ?? {};
  const reply = planReply(responsesPrompt(body));
  const base: ResponseBase = {
    id: ctx.nextId('resp_'),
    itemId: ctx.nextId(reply.toolCall === undefined ? 'msg_' : 'fc_'),
    callId: ctx.nextId('call_'),
    createdAt: nowSeconds(),
    body,
    model: asString(body.model) ?? ctx.pathModel,
  };
  if (body.stream === true) streamResponse(ctx, base, reply);
  else sendReply(ctx, responseObject(base, reply, true));
}
