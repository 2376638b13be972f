// The Responses API's streamed events, each an `event:` + `data:` pair carrying a running sequence_number.
import { splitText } from '../answer.js';
import type { JsonRecord } from '../json.js';
import type { Reply } from '../reply.js';
import { SSE_TYPE, sseEvent } from '../sse.js';
import { runStream } from '../stream-run.js';
import type { MockContext } from '../types.js';
import { outputItem, responseObject, textPart, type ResponseBase } from './responses-object.js';

/** Numbers events as they are built, which is also the order they are sent in. */
class EventList {
  seq = 0;
  event(type: string, data: JsonRecord): string {
    return sseEvent(type, { type, sequence_number: this.seq++, ...data });
  }
}

export function streamResponse(ctx: MockContext, base: ResponseBase, reply: Reply): void {
  const events = new EventList();
  const at = { item_id: base.itemId, output_index: 0 };
  const call = reply.toolCall;
  const head = [
    events.event('response.created', { response: responseObject(base, reply, false) }),
    events.event('response.in_progress', { response: responseObject(base, reply, false) }),
    events.event('response.output_item.added', { output_index: 0, item: outputItem(base, reply, false) }),
  ];
  if (call === undefined) {
    head.push(events.event('response.content_part.added', { ...at, content_index: 0, part: textPart('') }));
  }
  const pieces = splitText(call === undefined ? reply.text : call.argsJson, ctx.chunks);
  const content = pieces.map((delta) =>
    call === undefined
      ? events.event('response.output_text.delta', { ...at, content_index: 0, delta, logprobs: [] })
      : events.event('response.function_call_arguments.delta', { ...at, delta }),
  );
  const errorSeqBase = events.seq - content.length;
  const tail =
    call === undefined
      ? [
          events.event('response.output_text.done', { ...at, content_index: 0, text: reply.text, logprobs: [] }),
          events.event('response.content_part.done', { ...at, content_index: 0, part: textPart(reply.text) }),
        ]
      : [events.event('response.function_call_arguments.done', { ...at, arguments: call.argsJson })];
  tail.push(events.event('response.output_item.done', { output_index: 0, item: outputItem(base, reply, true) }));
  const final = responseObject(base, reply, true);
  tail.push(events.event(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final }));
  runStream(ctx, {
    contentType: SSE_TYPE,
    head,
    content,
    tail,
    errorFrame: (sent) =>
      sseEvent('error', {
        type: 'error',
        code: 'server_error',
        message: 'The server had an error while processing your request. Sorry about that!',
        param: null,
        sequence_number: errorSeqBase + sent,
      }),
  });
}
