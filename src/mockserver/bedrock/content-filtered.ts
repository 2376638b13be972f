// Bedrock's answer to blocked content: a normal Converse reply that stops with content_filtered.
import { asRecord } from '../json.js';
import { planReply } from '../reply.js';
import { sendJson } from '../send.js';
import { runStream } from '../stream-run.js';
import type { MockContext } from '../types.js';
import { EVENT_STREAM_TYPE, eventFrame } from './event-stream.js';
import { conversePrompt } from './prompt.js';

export function sendContentFiltered(ctx: MockContext): void {
  const inputTokens = planReply(conversePrompt(asRecord(ctx.body) ?? {})).promptTokens;
  const usage = { inputTokens, outputTokens: 0, totalTokens: inputTokens };
  if (!ctx.path.endsWith('/converse-stream')) {
    const body = { output: { message: { role: 'assistant', content: [] } }, stopReason: 'content_filtered', usage, metrics: { latencyMs: 0 } };
    sendJson(ctx, 200, body);
    return;
  }
  const tail = [eventFrame('messageStop', { stopReason: 'content_filtered' }), eventFrame('metadata', { usage, metrics: { latencyMs: 0 } })];
  runStream(ctx, {
    contentType: EVENT_STREAM_TYPE,
    head: [eventFrame('messageStart', { role: 'assistant' })],
    content: [],
    tail,
    errorFrame: () => new Uint8Array(0),
  });
}
