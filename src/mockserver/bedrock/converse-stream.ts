// POST /model/{modelId}/converse-stream: Converse events as binary AWS event-stream frames.
import { splitText } from '../answer.js';
import { asRecord } from '../json.js';
import { planReply } from '../reply.js';
import { runStream } from '../stream-run.js';
import type { MockContext } from '../types.js';
import { converseUsage, stopReason } from './converse.js';
import { conversePrompt } from './prompt.js';
import { EVENT_STREAM_TYPE, eventFrame, exceptionFrame } from './event-stream.js';

/** What Bedrock sends when the model fails after the stream has started. */
const STREAM_EXCEPTION = exceptionFrame('modelStreamErrorException', {
  message: 'The model encountered an error while streaming the response.',
  originalStatusCode: 500,
  originalMessage: 'Internal server error',
});

export function handleConverseStream(ctx: MockContext): void {
  const reply = planReply(conversePrompt(asRecord(ctx.body) ?? {}));
  const call = reply.toolCall;
  const head = [eventFrame('messageStart', { role: 'assistant' })];
  if (call !== undefined) {
    // Text blocks have no start event in Converse streams; tool-use blocks announce id and name.
    const start = { toolUse: { toolUseId: ctx.nextId('tooluse_'), name: call.name } };
    head.push(eventFrame('contentBlockStart', { start, contentBlockIndex: 0 }));
  }
  const pieces = splitText(call === undefined ? reply.text : call.argsJson, ctx.chunks);
  const content = pieces.map((piece) =>
    eventFrame('contentBlockDelta', {
      delta: call === undefined ? { text: piece } : { toolUse: { input: piece } },
      contentBlockIndex: 0,
    }),
  );
  const tail = [
    eventFrame('contentBlockStop', { contentBlockIndex: 0 }),
    eventFrame('messageStop', { stopReason: stopReason(reply) }),
    eventFrame('metadata', ctx.scenario.usage ? { usage: converseUsage(reply), metrics: { latencyMs: 0 } } : { metrics: { latencyMs: 0 } }),
  ];
  runStream(ctx, { contentType: EVENT_STREAM_TYPE, head, content, tail, errorFrame: () => STREAM_EXCEPTION });
}
