// POST /model/{modelId}/converse: Bedrock's Converse response.
import { asRecord } from '../json.js';
import { planReply, type Reply } from '../reply.js';
import { sendReply } from '../send.js';
import type { MockContext } from '../types.js';
import { conversePrompt } from './prompt.js';

const STOP_REASON: Readonly<Record<Reply['finish'], string>> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' };

export function stopReason(reply: Reply): string {
  return STOP_REASON[reply.finish];
}

export function converseUsage(reply: Reply): { inputTokens: number; outputTokens: number; totalTokens: number } {
  return { inputTokens: reply.promptTokens, outputTokens: reply.completionTokens, totalTokens: reply.promptTokens + reply.completionTokens };
}

export function handleConverse(ctx: MockContext): void {
  const reply = planReply(conversePrompt(asRecord(ctx.body) ?? {}));
  const call = reply.toolCall;
  const content =
    call === undefined ? [{ text: reply.text }] : [{ toolUse: { toolUseId: ctx.nextId('tooluse_'), name: call.name, input: call.args } }];
  sendReply(
    ctx,
    {
      output: { message: { role: 'assistant', content } },
      stopReason: stopReason(reply),
      usage: converseUsage(reply),
      metrics: { latencyMs: 0 },
    },
    { 'x-amzn-requestid': ctx.nextId('') },
  );
}
