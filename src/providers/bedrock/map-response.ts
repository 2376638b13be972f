// Bedrock Converse / InvokeModel (embeddings) responses → OpenAI chat completion / embedding list.
import { isJsonObject, type JsonObject } from '../../core/json.js';
import { chatCompletionBody, embeddingListBody, makeUsage, newChatId, type FinishReason, type ToolCallOut } from '../../core/openai-shapes.js';
import type { TranslationContext } from '../../core/provider-contract.js';
import { badProviderOutput, parseProviderJson } from '../../core/upstream-error.js';
import type { Usage } from '../../core/usage.js';
import { JSON_TOOL_NAME, isTitanEmbedding } from './map-request.js';

export function mapStopReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      return 'stop';
  }
}

function count(value: unknown): number {
  return typeof value === 'number' && value > 0 ? value : 0;
}

export function converseUsage(usage: unknown): Usage | null {
  if (!isJsonObject(usage)) return null;
  const read = count(usage.cacheReadInputTokens);
  const written = count(usage.cacheWriteInputTokens);
  return makeUsage(count(usage.inputTokens) + read + written, count(usage.outputTokens), read, written);
}

export function parseConverseResponse(body: Buffer, ctx: TranslationContext): JsonObject {
  const parsed = parseProviderJson('bedrock', body.toString('utf8'));
  const output = isJsonObject(parsed) && isJsonObject(parsed.output) ? parsed.output : null;
  const message = output !== null && isJsonObject(output.message) ? output.message : null;
  if (!isJsonObject(parsed) || message === null || !Array.isArray(message.content)) throw badProviderOutput('bedrock', 'expected output.message.content');
  let text: string | null = null;
  let reasoning: string | null = null;
  const toolCalls: ToolCallOut[] = [];
  let finish = mapStopReason(parsed.stopReason);
  for (const block of message.content) {
    if (!isJsonObject(block)) continue;
    if (typeof block.text === 'string') text = (text ?? '') + block.text;
    else if (isJsonObject(block.toolUse)) {
      const use = block.toolUse;
      const args = JSON.stringify(use.input ?? {});
      if (use.name === JSON_TOOL_NAME) {
        text = args;
        finish = 'stop';
      } else toolCalls.push({ id: String(use.toolUseId ?? ''), name: String(use.name ?? ''), arguments: args });
    } else if (isJsonObject(block.reasoningContent) && isJsonObject(block.reasoningContent.reasoningText)) {
      const thought = block.reasoningContent.reasoningText.text;
      if (typeof thought === 'string') reasoning = (reasoning ?? '') + thought;
    }
  }
  return chatCompletionBody({
    id: newChatId(), model: ctx.model, created: ctx.created, content: text, reasoning, toolCalls, finishReason: finish,
    usage: converseUsage(parsed.usage) ?? makeUsage(0, 0),
  });
}

export function parseEmbeddingResponse(body: Buffer, ctx: TranslationContext): JsonObject {
  const parsed = parseProviderJson('bedrock', body.toString('utf8'));
  if (!isJsonObject(parsed)) throw badProviderOutput('bedrock', 'expected an embedding object');
  if (isTitanEmbedding(ctx.model)) {
    if (!Array.isArray(parsed.embedding)) throw badProviderOutput('bedrock', 'expected embedding');
    return embeddingListBody([parsed.embedding as number[]], ctx.model, count(parsed.inputTextTokenCount));
  }
  const embeddings = isJsonObject(parsed.embeddings) ? parsed.embeddings.float : parsed.embeddings;
  if (!Array.isArray(embeddings)) throw badProviderOutput('bedrock', 'expected embeddings');
  return embeddingListBody(embeddings as number[][], ctx.model, 0);
}
