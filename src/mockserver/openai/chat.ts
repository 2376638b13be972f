// POST /v1/chat/completions (and Azure's deployment path): chat.completion JSON or chat.completion.chunk SSE.
import { asRecord, asString, type JsonRecord } from '../json.js';
import { planReply, type Reply } from '../reply.js';
import { sendReply } from '../send.js';
import { SSE_DONE, SSE_TYPE, sseData } from '../sse.js';
import { runStream, type StreamPlan } from '../stream-run.js';
import { splitText } from '../answer.js';
import type { MockContext } from '../types.js';
import { STREAM_ERROR_BODY } from './errors.js';
import { chatPrompt } from './prompt.js';
import { chatUsage, nowSeconds } from './usage.js';

const FINGERPRINT = 'fp_mock';

export function handleChat(ctx: MockContext): void {
  const body = asRecord(ctx.body) ?? {};
  const reply = planReply(chatPrompt(body));
  const model = asString(body.model) ?? ctx.pathModel;
  const id = ctx.nextId('chatcmpl-');
  if (body.stream === true) {
    const includeUsage = asRecord(body.stream_options)?.include_usage === true && ctx.scenario.usage;
    runStream(ctx, chatStreamPlan(ctx, reply, { id, object: 'chat.completion.chunk', created: nowSeconds(), model }, includeUsage));
    return;
  }
  sendReply(ctx, {
    id,
    object: 'chat.completion',
    created: nowSeconds(),
    model,
    choices: [{ index: 0, message: chatMessage(ctx, reply), logprobs: null, finish_reason: reply.finish }],
    usage: chatUsage(reply),
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  });
}

function chatMessage(ctx: MockContext, reply: Reply): JsonRecord {
  const call = reply.toolCall;
  if (call === undefined) return { role: 'assistant', content: reply.text, refusal: null, annotations: [] };
  return {
    role: 'assistant',
    content: null,
    refusal: null,
    annotations: [],
    tool_calls: [{ id: ctx.nextId('call_'), type: 'function', function: { name: call.name, arguments: call.argsJson } }],
  };
}

interface ChunkBase {
  id: string;
  object: string;
  created: number;
  model: string;
}

/** Frames exactly as OpenAI streams them: role first, content or tool-call argument pieces, finish, usage, [DONE]. */
function chatStreamPlan(ctx: MockContext, reply: Reply, base: ChunkBase, includeUsage: boolean): StreamPlan {
  const chunk = (delta: JsonRecord, finish: string | null): string =>
    sseData({
      ...base,
      system_fingerprint: FINGERPRINT,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : undefined),
    });
  const call = reply.toolCall;
  const head =
    call === undefined
      ? [chunk({ role: 'assistant', content: '', refusal: null }, null)]
      : [
          chunk(
            {
              role: 'assistant',
              content: null,
              tool_calls: [{ index: 0, id: ctx.nextId('call_'), type: 'function', function: { name: call.name, arguments: '' } }],
            },
            null,
          ),
        ];
  const pieces = splitText(call === undefined ? reply.text : call.argsJson, ctx.chunks);
  const content = pieces.map((piece) =>
    call === undefined ? chunk({ content: piece }, null) : chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null),
  );
  const tail = [chunk({}, reply.finish)];
  if (includeUsage) tail.push(sseData({ ...base, system_fingerprint: FINGERPRINT, choices: [], usage: chatUsage(reply) }));
  tail.push(SSE_DONE);
  return { contentType: SSE_TYPE, head, content, tail, errorFrame: () => sseData(STREAM_ERROR_BODY) };
}
