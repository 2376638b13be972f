// Ollama /api/chat and /api/embed answers → OpenAI chat completion / embedding list.
import { isJsonObject, type JsonObject } from '../../core/json.js';
import { chatCompletionBody, embeddingListBody, makeUsage, newChatId, newToolCallId, type FinishReason, type ToolCallOut } from '../../core/openai-shapes.js';
import type { TranslationContext } from '../../core/provider-contract.js';
import { badProviderOutput, parseProviderJson } from '../../core/upstream-error.js';
import type { Usage } from '../../core/usage.js';

export function mapDoneReason(reason: unknown, hasToolCalls: boolean): FinishReason {
  if (reason === 'length') return 'length';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

function count(value: unknown): number {
  return typeof value === 'number' && value > 0 ? value : 0;
}

export function ollamaUsage(body: JsonObject): Usage {
  return makeUsage(count(body.prompt_eval_count), count(body.eval_count));
}

export function toolCallsOf(message: JsonObject): ToolCallOut[] {
  if (!Array.isArray(message.tool_calls)) return [];
  const calls: ToolCallOut[] = [];
  for (const call of message.tool_calls) {
    if (!isJsonObject(call) || !isJsonObject(call.function)) continue;
    const args = call.function.arguments;
    calls.push({ id: typeof call.id === 'string' ? call.id : newToolCallId(), name: String(call.function.name ?? ''), arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) });
  }
  return calls;
}

export function parseChatResponse(body: Buffer, ctx: TranslationContext): JsonObject {
  const parsed = parseProviderJson('ollama', body.toString('utf8'));
  if (!isJsonObject(parsed) || !isJsonObject(parsed.message)) throw badProviderOutput('ollama', 'expected a chat response with message');
  const message = parsed.message;
  const toolCalls = toolCallsOf(message);
  const content = typeof message.content === 'string' && message.content !== '' ? message.content : toolCalls.length > 0 ? null : '';
  return chatCompletionBody({
    id: newChatId(), model: typeof parsed.model === 'string' ? parsed.model : ctx.model, created: ctx.created, content,
    reasoning: typeof message.thinking === 'string' && message.thinking !== '' ? message.thinking : null,
    toolCalls, finishReason: mapDoneReason(parsed.done_reason, toolCalls.length > 0), usage: ollamaUsage(parsed),
  });
}

export function parseEmbedResponse(body: Buffer, ctx: TranslationContext): JsonObject {
  const parsed = parseProviderJson('ollama', body.toString('utf8'));
  if (!isJsonObject(parsed) || !Array.isArray(parsed.embeddings)) throw badProviderOutput('ollama', 'expected embeddings');
  return embeddingListBody(parsed.embeddings as number[][], ctx.model, count(parsed.prompt_eval_count));
}
