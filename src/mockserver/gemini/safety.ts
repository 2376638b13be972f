// Gemini's answer to a blocked prompt: HTTP 200 with a candidate whose finishReason is SAFETY and no content.
import { asRecord } from '../json.js';
import { planReply } from '../reply.js';
import { sendJson } from '../send.js';
import type { MockContext } from '../types.js';
import { geminiPrompt } from './prompt.js';
import { BLOCKED_RATINGS, usageMetadata } from './response.js';
import { streamChunks } from './stream.js';

export function sendSafetyBlock(ctx: MockContext): void {
  const promptTokens = planReply(geminiPrompt(asRecord(ctx.body) ?? {})).promptTokens;
  const body = {
    candidates: [{ finishReason: 'SAFETY', index: 0, safetyRatings: BLOCKED_RATINGS }],
    usageMetadata: usageMetadata(promptTokens, undefined),
    modelVersion: ctx.pathModel,
    responseId: ctx.nextId(''),
  };
  if (ctx.path.endsWith(':streamGenerateContent')) streamChunks(ctx, [body]);
  else sendJson(ctx, 200, body);
}
