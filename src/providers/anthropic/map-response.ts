// Anthropic Messages response → OpenAI chat completion (text, tool calls, thinking, usage with cache tokens).
import { isJsonObject, type JsonObject } from '../../core/json.js';
import { chatCompletionBody, makeUsage, type FinishReason, type ToolCallOut } from '../../core/openai-shapes.js';
import type { TranslationContext } from '../../core/provider-contract.js';
import { badProviderOutput, parseProviderJson } from '../../core/upstream-error.js';
import type { Usage } from '../../core/usage.js';
import { JSON_TOOL_NAME } from './map-request.js';

export function mapStopReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

function count(value: unknown): number {
  return typeof value === 'number' && value > 0 ? value : 0;
}

/** Cache reads and writes are prompt tokens too (LiteLLM counts them in prompt_tokens). */
export function anthropicUsage(usage: unknown): Usage {
  if (!isJsonObject(usage)) return makeUsage(0, 0);
  const read = count(usage.cache_read_input_tokens);
  const created = count(usage.cache_creation_input_tokens);
  return makeUsage(count(usage.input_tokens) + read + created, count(usage.output_tokens), read, created);
}

export function parseMessage(body: Buffer, ctx: TranslationContext): JsonObject {
  const parsed = parseProviderJson('anthropic', body.toString('utf8'));
  if (!isJsonObject(parsed) || !Array.isArray(parsed.content)) throw badProviderOutput('anthropic', 'expected a message with content');
  let text: string | null = null;
  let reasoning: string | null = null;
  const toolCalls: ToolCallOut[] = [];
  let finish = mapStopReason(parsed.stop_reason);
  for (const block of parsed.content) {
    if (!isJsonObject(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') text = (text ?? '') + block.text;
    else if (block.type === 'thinking' && typeof block.thinking === 'string') reasoning = (reasoning ?? '') + block.thinking;
    else if (block.type === 'tool_use') {
      const args = JSON.stringify(block.input ?? {});
      if (block.name === JSON_TOOL_NAME) {
        text = args;
        finish = 'stop';
      } else toolCalls.push({ id: String(block.id ?? ''), name: String(block.name ?? ''), arguments: args });
    }
  }
  return chatCompletionBody({
    id: typeof parsed.id === 'string' ? parsed.id : `chatcmpl-${ctx.created}`,
    model: typeof parsed.model === 'string' ? parsed.model : ctx.model,
    created: ctx.created,
    content: text,
    reasoning,
    toolCalls,
    finishReason: finish,
    usage: anthropicUsage(parsed.usage),
  });
}
