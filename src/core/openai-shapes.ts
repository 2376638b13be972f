// OpenAI response bodies built from a provider's answer: chat completions, embeddings and usage objects.
import { randomUUID } from 'node:crypto';
import type { JsonObject } from './json.js';
import type { Usage } from './usage.js';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ToolCallOut {
  id: string;
  name: string;
  /** JSON text, as OpenAI sends it. */
  arguments: string;
}

export interface ChatAnswer {
  id: string;
  model: string;
  created: number;
  content: string | null;
  reasoning: string | null;
  toolCalls: ToolCallOut[];
  finishReason: FinishReason;
  usage: Usage;
}

export function newChatId(): string {
  return `chatcmpl-${randomUUID()}`;
}

export function newToolCallId(): string {
  return `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

export function makeUsage(prompt: number, completion: number, cachedPrompt = 0, cacheCreation = 0): Usage {
  return { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion, cachedPromptTokens: cachedPrompt, cacheCreationTokens: cacheCreation };
}

/** OpenAI's usage object, with Anthropic-style cache fields when the provider reported cache writes. */
export function openAIUsage(usage: Usage): JsonObject {
  const out: JsonObject = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedPromptTokens },
  };
  if (usage.cacheCreationTokens > 0 || usage.cachedPromptTokens > 0) {
    out.cache_creation_input_tokens = usage.cacheCreationTokens;
    out.cache_read_input_tokens = usage.cachedPromptTokens;
  }
  return out;
}

export function chatCompletionBody(answer: ChatAnswer): JsonObject {
  const message: JsonObject = { role: 'assistant', content: answer.content };
  if (answer.reasoning !== null) message.reasoning_content = answer.reasoning;
  if (answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  }
  return {
    id: answer.id,
    object: 'chat.completion',
    created: answer.created,
    model: answer.model,
    choices: [{ index: 0, message, finish_reason: answer.finishReason }],
    usage: openAIUsage(answer.usage),
  };
}

export function embeddingListBody(vectors: readonly (readonly number[])[], model: string, promptTokens: number): JsonObject {
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding: embedding as number[] })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
