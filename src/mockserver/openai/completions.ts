// POST /v1/completions: legacy text_completion objects, streamed or not.
import { splitText } from '../answer.js';
import { asRecord, asString } from '../json.js';
import { planReply, type Reply } from '../reply.js';
import { sendReply } from '../send.js';
import { SSE_DONE, SSE_TYPE, sseData } from '../sse.js';
import { runStream } from '../stream-run.js';
import type { MockContext } from '../types.js';
import { STREAM_ERROR_BODY } from './errors.js';
import { completionPrompt } from './prompt.js';
import { nowSeconds } from './usage.js';

export function handleCompletions(ctx: MockContext): void {
  const body = asRecord(ctx.body) ?? {};
  const reply = planReply(completionPrompt(body));
  const base = { id: ctx.nextId('cmpl-'), object: 'text_completion', created: nowSeconds(), model: asString(body.model) ?? ctx.pathModel };
  if (body.stream !== true) {
    sendReply(ctx, { ...base, system_fingerprint: null, choices: [choice(reply.text, reply.finish)], usage: usage(reply) });
    return;
  }
  const includeUsage = asRecord(body.stream_options)?.include_usage === true && ctx.scenario.usage;
  const frame = (text: string, finish: string | null): string =>
    sseData({ ...base, system_fingerprint: null, choices: [choice(text, finish)], ...(includeUsage ? { usage: null } : undefined) });
  const tail = [frame('', reply.finish)];
  if (includeUsage) tail.push(sseData({ ...base, system_fingerprint: null, choices: [], usage: usage(reply) }));
  tail.push(SSE_DONE);
  runStream(ctx, {
    contentType: SSE_TYPE,
    head: [],
    content: splitText(reply.text, ctx.chunks).map((piece) => frame(piece, null)),
    tail,
    errorFrame: () => sseData(STREAM_ERROR_BODY),
  });
}

function choice(text: string, finish: string | null): unknown {
  return { text, index: 0, logprobs: null, finish_reason: finish };
}

function usage(reply: Reply): unknown {
  return {
    prompt_tokens: reply.promptTokens,
    completion_tokens: reply.completionTokens,
    total_tokens: reply.promptTokens + reply.completionTokens,
  };
}
