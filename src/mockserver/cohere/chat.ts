// POST /v2/chat: Cohere's chat response, or its typed SSE event stream.
import { splitText } from '../answer.js';
import { asRecord, type JsonRecord } from '../json.js';
import { planReply, type Reply } from '../reply.js';
import { sendReply } from '../send.js';
import { SSE_TYPE, sseEvent } from '../sse.js';
import { runStream } from '../stream-run.js';
import type { MockContext } from '../types.js';
import { cohereChatPrompt } from './prompt.js';

const FINISH: Readonly<Record<Reply['finish'], string>> = { stop: 'COMPLETE', length: 'MAX_TOKENS', tool_calls: 'TOOL_CALL' };

export function handleCohereChat(ctx: MockContext): void {
  const body = asRecord(ctx.body) ?? {};
  const reply = planReply(cohereChatPrompt(body));
  const id = ctx.nextId('');
  if (body.stream === true) {
    streamChat(ctx, id, reply);
    return;
  }
  const call = reply.toolCall;
  const message =
    call === undefined
      ? { role: 'assistant', content: [{ type: 'text', text: reply.text }] }
      : { role: 'assistant', tool_plan: toolPlan(call.name), tool_calls: [toolCall(ctx.nextId('call_'), call.name, call.argsJson)] };
  sendReply(ctx, { id, finish_reason: FINISH[reply.finish], message, usage: usage(reply) });
}

function streamChat(ctx: MockContext, id: string, reply: Reply): void {
  const call = reply.toolCall;
  const event = (type: string, data: JsonRecord): string => sseEvent(type, { type, ...data });
  const start = { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } };
  const head = [sseEvent('message-start', { id, type: 'message-start', delta: start })];
  if (call === undefined) {
    head.push(event('content-start', { index: 0, delta: { message: { content: { type: 'text', text: '' } } } }));
  } else {
    head.push(event('tool-plan-delta', { delta: { message: { tool_plan: toolPlan(call.name) } } }));
    head.push(event('tool-call-start', { index: 0, delta: { message: { tool_calls: toolCall(ctx.nextId('call_'), call.name, '') } } }));
  }
  const pieces = splitText(call === undefined ? reply.text : call.argsJson, ctx.chunks);
  const content = pieces.map((piece) =>
    call === undefined
      ? event('content-delta', { index: 0, delta: { message: { content: { text: piece } } } })
      : event('tool-call-delta', { index: 0, delta: { message: { tool_calls: { function: { arguments: piece } } } } }),
  );
  const end = { finish_reason: FINISH[reply.finish], ...(ctx.scenario.usage ? { usage: usage(reply) } : undefined) };
  const tail = [event(call === undefined ? 'content-end' : 'tool-call-end', { index: 0 }), event('message-end', { delta: end })];
  // Cohere reports a failed generation in the final event rather than with a separate error event.
  const failed = event('message-end', { delta: { finish_reason: 'ERROR', error: 'internal server error' } });
  runStream(ctx, { contentType: SSE_TYPE, head, content, tail, errorFrame: () => failed });
}

function toolPlan(name: string): string {
  return `I will call ${name}.`;
}

function toolCall(id: string, name: string, args: string): JsonRecord {
  return { id, type: 'function', function: { name, arguments: args } };
}

function usage(reply: Reply): JsonRecord {
  const tokens = { input_tokens: reply.promptTokens, output_tokens: reply.completionTokens };
  return { billed_units: tokens, tokens };
}
