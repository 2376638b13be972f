// :generateContent and :streamGenerateContent for Gemini (AI Studio) and Vertex AI.
import { splitText } from '../answer.js';
import { asRecord } from '../json.js';
import { planReply, type Reply } from '../reply.js';
import { sendReply } from '../send.js';
import type { MockContext } from '../types.js';
import { geminiPrompt } from './prompt.js';
import { candidate, finishReason, replyParts, responseObject, usageMetadata, type GeminiBase } from './response.js';
import { streamChunks } from './stream.js';

export function handleGenerate(ctx: MockContext): void {
  const reply = planReply(geminiPrompt(asRecord(ctx.body) ?? {}));
  const base = geminiBase(ctx, true);
  const usage = usageMetadata(reply.promptTokens, reply.completionTokens);
  sendReply(ctx, responseObject(base, candidate(replyParts(reply), finishReason(reply)), usage));
}

/** Text arrives in `chunks` pieces; the last one carries finishReason and the full usage, as on the real API. */
export function handleStreamGenerate(ctx: MockContext): void {
  const reply = planReply(geminiPrompt(asRecord(ctx.body) ?? {}));
  const base = geminiBase(ctx, ctx.scenario.usage);
  streamChunks(ctx, streamedResponses(ctx, base, reply));
}

function streamedResponses(ctx: MockContext, base: GeminiBase, reply: Reply): unknown[] {
  const finalUsage = usageMetadata(reply.promptTokens, reply.completionTokens);
  if (reply.toolCall !== undefined) {
    return [responseObject(base, candidate(replyParts(reply), finishReason(reply)), finalUsage)];
  }
  const partialUsage = usageMetadata(reply.promptTokens, undefined);
  const pieces = splitText(reply.text, ctx.chunks);
  return pieces.map((text, i) =>
    i === pieces.length - 1
      ? responseObject(base, candidate([{ text }], finishReason(reply)), finalUsage)
      : responseObject(base, candidate([{ text }], undefined), partialUsage),
  );
}

function geminiBase(ctx: MockContext, usage: boolean): GeminiBase {
  return { model: ctx.pathModel, responseId: ctx.nextId(''), usage };
}
