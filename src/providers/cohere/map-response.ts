// Cohere v2 chat / embed responses → OpenAI chat completion / embedding list.
import { isJsonObject, type JsonObject } from '../../core/json.js';
import { chatCompletionBody, embeddingListBody, makeUsage, newChatId, type FinishReason, type ToolCallOut } from '../../core/openai-shapes.js';
import type { TranslationContext } from '../../core/provider-contract.js';
import { badProviderOutput, parseProviderJson } from '../../core/upstream-error.js';
import type { Usage } from '../../core/usage.js';

export function mapFinishReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'MAX_TOKENS':
      return 'length';
    case 'TOOL_CALL':
      return 'tool_calls';
    case 'ERROR_TOXIC':
      return 'content_filter';
    default:
      return 'stop';
  }
}

function count(value: unknown): number {
  return typeof value === 'number' && value > 0 ? value : 0;
}

/** `tokens` are what the model used; `billed_units` are the fallback. */
export function cohereUsage(usage: unknown): Usage | null {
  if (!isJsonObject(usage)) return null;
  const tokens = isJsonObject(usage.tokens) ? usage.tokens : isJsonObject(usage.billed_units) ? usage.billed_units : {};
  return makeUsage(count(tokens.input_tokens), count(tokens.output_tokens));
}

export function toolCallOf(call: unknown): ToolCallOut | null {
  if (!isJsonObject(call) || !isJsonObject(call.function)) return null;
  const args = call.function.arguments;
  return { id: String(call.id ?? ''), name: String(call.function.name ?? ''), arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) };
}

export function parseChatResponse(body: Buffer, ctx: TranslationContext): JsonObject {
  const parsed = parseProviderJson('cohere', body.toString('utf8'));
  const message = isJsonObject(parsed) && isJsonObject(parsed.message) ? parsed.message : null;
  if (!isJsonObject(parsed) || message === null) throw badProviderOutput('cohere', 'expected a chat response with message');
  let text: string | null = null;
  if (Array.isArray(message.content)) {
    for (const part of message.content) if (isJsonObject(part) && typeof part.text === 'string') text = (text ?? '') + part.text;
  }
  const toolCalls: ToolCallOut[] = [];
  if (Array.isArray(message.tool_calls)) for (const call of message.tool_calls) {
    const mapped = toolCallOf(call);
    if (mapped !== null) toolCalls.push(mapped);
  }
  return chatCompletionBody({
    id: typeof parsed.id === 'string' ? parsed.id : newChatId(), model: ctx.model, created: ctx.created, content: text, reasoning: null,
    toolCalls, finishReason: mapFinishReason(parsed.finish_reason), usage: cohereUsage(parsed.usage) ?? makeUsage(0, 0),
  });
}

export function parseEmbedResponse(body: Buffer, ctx: TranslationContext): JsonObject {
  const parsed = parseProviderJson('cohere', body.toString('utf8'));
  if (!isJsonObject(parsed)) throw badProviderOutput('cohere', 'expected an embed response');
  const embeddings = isJsonObject(parsed.embeddings) ? parsed.embeddings.float : parsed.embeddings;
  if (!Array.isArray(embeddings)) throw badProviderOutput('cohere', 'expected embeddings.float');
  const meta = isJsonObject(parsed.meta) && isJsonObject(parsed.meta.billed_units) ? parsed.meta.billed_units : {};
  return embeddingListBody(embeddings as number[][], ctx.model, count(meta.input_tokens));
}
