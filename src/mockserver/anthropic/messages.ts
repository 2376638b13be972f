// POST /v1/messages and /v1/messages/count_tokens: Anthropic Message objects, streamed or not.
import { asArray, asRecord, asString, type JsonRecord } from '../json.js';
import { planReply, type Reply } from '../reply.js';
import { sendJson, sendReply } from '../send.js';
import type { MockContext, MockError } from '../types.js';
import { contentBlock, type MessageBase } from './message-parts.js';
import { streamMessage } from './messages-stream.js';
import { cachedSystemTokens, messagesPrompt } from './prompt.js';

const STOP_REASON: Readonly<Record<Reply['finish'], string>> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' };

export function handleMessages(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  const invalid = validate(body);
  if (invalid !== undefined) return { kind: 'invalid_request', status: 400, message: invalid };
  const reply = planReply(messagesPrompt(body));
  const cacheRead = Math.min(cachedSystemTokens(body), reply.promptTokens);
  const base: MessageBase = {
    id: ctx.nextId('msg_'),
    model: asString(body.model) ?? '',
    toolUseId: ctx.nextId('toolu_'),
    stopReason: STOP_REASON[reply.finish],
    usage: {
      // Anthropic's input_tokens excludes tokens read from the prompt cache.
      input_tokens: reply.promptTokens - cacheRead,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: cacheRead,
      output_tokens: reply.completionTokens,
    },
  };
  if (body.stream === true) streamMessage(ctx, base, reply);
  else sendReply(ctx, messageObject(base, reply), { 'request-id': ctx.nextId('req_') });
  return undefined;
}

export function handleCountTokens(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  if (!Array.isArray(body.messages)) return { kind: 'invalid_request', status: 400, message: 'messages: Field required' };
  sendJson(ctx, 200, { input_tokens: planReply(messagesPrompt(body)).promptTokens });
  return undefined;
}

function validate(body: JsonRecord): string | undefined {
  if (asString(body.model) === undefined) return 'model: Field required';
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  if (asArray(body.messages).length === 0) return 'messages: at least one message is required';
  return undefined;
}

function messageObject(base: MessageBase, reply: Reply): JsonRecord {
  return {
    id: base.id,
    type: 'message',
    role: 'assistant',
    model: base.model,
    content: [contentBlock(base, reply, true)],
    stop_reason: base.stopReason,
    stop_sequence: null,
    usage: { ...base.usage, service_tier: 'standard' },
  };
}
