// Gemini GenerateContentResponse / batchEmbedContents → OpenAI chat completion / embedding list.
import { isJsonObject, type JsonObject } from '../../core/json.js';
import { chatCompletionBody, embeddingListBody, makeUsage, newChatId, newToolCallId, type FinishReason, type ToolCallOut } from '../../core/openai-shapes.js';
import type { TranslationContext } from '../../core/provider-contract.js';
import { badProviderOutput, parseProviderJson } from '../../core/upstream-error.js';
import type { Usage } from '../../core/usage.js';

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'LANGUAGE']);

export function mapFinishReason(reason: unknown, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (typeof reason === 'string' && FILTERED.has(reason)) return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

function count(value: unknown): number {
  return typeof value === 'number' && value > 0 ? value : 0;
}

/** Thinking tokens are billed as output, as LiteLLM counts them. */
export function geminiUsage(metadata: unknown): Usage | null {
  if (!isJsonObject(metadata)) return null;
  const completion = count(metadata.candidatesTokenCount) + count(metadata.thoughtsTokenCount);
  return makeUsage(count(metadata.promptTokenCount), completion, count(metadata.cachedContentTokenCount));
}

export function toolCallOf(part: JsonObject): ToolCallOut | null {
  const call = part.functionCall;
  if (!isJsonObject(call)) return null;
  return { id: typeof call.id === 'string' ? call.id : newToolCallId(), name: String(call.name ?? ''), arguments: JSON.stringify(call.args ?? {}) };
}

export function firstCandidate(response: JsonObject): JsonObject | null {
  const candidates = response.candidates;
  return Array.isArray(candidates) && isJsonObject(candidates[0]) ? candidates[0] : null;
}

export function partsOf(candidate: JsonObject | null): JsonObject[] {
  const content = candidate !== null && isJsonObject(candidate.content) ? candidate.content : null;
  return content !== null && Array.isArray(content.parts) ? (content.parts.filter(isJsonObject)) : [];
}

/** A prompt blocked before generation has no candidates, only promptFeedback.blockReason. */
export function isPromptBlocked(response: JsonObject): boolean {
  return isJsonObject(response.promptFeedback) && typeof response.promptFeedback.blockReason === 'string';
}

export function parseGenerateResponse(body: Buffer, ctx: TranslationContext): JsonObject {
  const parsed = parseProviderJson('gemini', body.toString('utf8'));
  if (!isJsonObject(parsed)) throw badProviderOutput('gemini', 'expected a GenerateContentResponse object');
  const candidate = firstCandidate(parsed);
  if (candidate === null && !isPromptBlocked(parsed)) throw badProviderOutput('gemini', 'response has no candidates');
  let text: string | null = null;
  let reasoning: string | null = null;
  const toolCalls: ToolCallOut[] = [];
  for (const part of partsOf(candidate)) {
    const call = toolCallOf(part);
    if (call !== null) toolCalls.push(call);
    else if (typeof part.text === 'string') {
      if (part.thought === true) reasoning = (reasoning ?? '') + part.text;
      else text = (text ?? '') + part.text;
    }
  }
  const finish = candidate === null ? 'content_filter' : mapFinishReason(candidate.finishReason, toolCalls.length > 0);
  return chatCompletionBody({
    id: typeof parsed.responseId === 'string' ? parsed.responseId : newChatId(),
    model: typeof parsed.modelVersion === 'string' ? parsed.modelVersion : ctx.model,
    created: ctx.created,
    content: text,
    reasoning,
    toolCalls,
    finishReason: finish,
    usage: geminiUsage(parsed.usageMetadata) ?? makeUsage(0, 0),
  });
}

export function parseEmbedResponse(body: Buffer, ctx: TranslationContext): JsonObject {
  const parsed = parseProviderJson('gemini', body.toString('utf8'));
  const list = isJsonObject(parsed) ? (Array.isArray(parsed.embeddings) ? parsed.embeddings : isJsonObject(parsed.embedding) ? [parsed.embedding] : null) : null;
  if (list === null) throw badProviderOutput('gemini', 'expected embeddings');
  const vectors = list.map((item) => (isJsonObject(item) && Array.isArray(item.values) ? (item.values as number[]) : []));
  return embeddingListBody(vectors, ctx.model, 0);
}
