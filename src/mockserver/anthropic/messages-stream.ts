// Anthropic's streamed Messages events: message_start, content block start/delta/stop, message_delta, message_stop.
import { splitText } from '../answer.js';
import type { Reply } from '../reply.js';
import { SSE_TYPE, sseEvent } from '../sse.js';
import { runStream } from '../stream-run.js';
import type { MockContext } from '../types.js';
import { STREAM_ERROR_BODY } from './errors.js';
import { contentBlock, type MessageBase } from './message-parts.js';

export function streamMessage(ctx: MockContext, base: MessageBase, reply: Reply): void {
  const call = reply.toolCall;
  const message = {
    id: base.id,
    type: 'message',
    role: 'assistant',
    model: base.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    // As on the real API, message_start carries input usage and a provisional output count.
    usage: { ...base.usage, output_tokens: 1, service_tier: 'standard' },
  };
  const head = [
    sseEvent('message_start', { type: 'message_start', message }),
    sseEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: contentBlock(base, reply, false) }),
    sseEvent('ping', { type: 'ping' }),
  ];
  const pieces = splitText(call === undefined ? reply.text : call.argsJson, ctx.chunks);
  const content = pieces.map((piece) =>
    sseEvent('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: call === undefined ? { type: 'text_delta', text: piece } : { type: 'input_json_delta', partial_json: piece },
    }),
  );
  const tail = [
    sseEvent('content_block_stop', { type: 'content_block_stop', index: 0 }),
    sseEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: base.stopReason, stop_sequence: null },
      usage: { output_tokens: base.usage.output_tokens },
    }),
    sseEvent('message_stop', { type: 'message_stop' }),
  ];
  runStream(ctx, { contentType: SSE_TYPE, head, content, tail, errorFrame: () => sseEvent('error', STREAM_ERROR_BODY) });
}
