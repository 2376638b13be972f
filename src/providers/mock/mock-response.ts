// Answers without any upstream: the built-in `mock` model and LiteLLM's `mock_response` (request body or litellm_params).
import { randomUUID } from 'node:crypto';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { isJsonObject } from '../../core/json.js';

/** A rough, deterministic token count (≈ 4 characters a token) for mock usage figures. */
export function approximateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

function contentText(content: JsonValue | undefined): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) if (isJsonObject(part) && typeof part.text === 'string') text += part.text;
  return text;
}

/** All prompt text of a chat, completion or embedding body, for usage figures. */
export function promptText(body: JsonObject): string {
  if (Array.isArray(body.messages)) {
    let text = '';
    for (const message of body.messages) if (isJsonObject(message)) text += contentText(message.content);
    return text;
  }
  const prompt = body.prompt ?? body.input;
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt)) return prompt.filter((item) => typeof item === 'string').join(' ');
  return '';
}

/** The built-in model's answer when no `mock_response` is given: says what it received. */
export function defaultMockAnswer(body: JsonObject): string {
  let lastUser = '';
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) {
      if (isJsonObject(message) && message.role === 'user') lastUser = contentText(message.content);
    }
  } else {
    lastUser = promptText(body);
  }
  const echoed = lastUser.length > 80 ? `${lastUser.slice(0, 80)}…` : lastUser;
  return `Hello from Sluice's built-in mock model. You said: "${echoed}". Configure a provider in config.yaml to get real answers.`;
}

function usageOf(body: JsonObject, answer: string): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  const prompt = approximateTokens(promptText(body));
  const completion = approximateTokens(answer);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function mockChatCompletion(body: JsonObject, model: string, answer: string): JsonObject {
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: answer }, logprobs: null, finish_reason: 'stop' }],
    usage: usageOf(body, answer),
  };
}

export function mockTextCompletion(body: JsonObject, model: string, answer: string): JsonObject {
  return {
    id: `cmpl-${randomUUID()}`,
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, text: answer, logprobs: null, finish_reason: 'stop' }],
    usage: usageOf(body, answer),
  };
}

/** Splits the answer into word-sized pieces, as providers stream it. */
export function splitIntoChunks(answer: string, maxChunks: number): string[] {
  const words = answer.split(/(?<= )/);
  const perChunk = Math.max(1, Math.ceil(words.length / maxChunks));
  const chunks: string[] = [];
  for (let index = 0; index < words.length; index += perChunk) chunks.push(words.slice(index, index + perChunk).join(''));
  return chunks;
}

/** The whole SSE body of a streamed chat answer, in OpenAI's chunk format. */
export function mockChatStreamEvents(body: JsonObject, model: string, answer: string): string[] {
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const frame = (delta: JsonObject, finish: string | null): string =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  const events = [frame({ role: 'assistant', content: '' }, null)];
  for (const piece of splitIntoChunks(answer, 8)) events.push(frame({ content: piece }, null));
  events.push(frame({}, 'stop'));
  const streamOptions = body.stream_options;
  if (isJsonObject(streamOptions) && streamOptions.include_usage === true) {
    events.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageOf(body, answer) })}\n\n`);
  }
  events.push('data: [DONE]\n\n');
  return events;
}

/** Deterministic unit vectors from hashed words, so similar texts get similar vectors. */
export function mockEmbeddingVector(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (word === '') continue;
    let hash = 2166136261;
    for (let index = 0; index < word.length; index++) hash = Math.imul(hash ^ word.charCodeAt(index), 16777619);
    vector[(hash >>> 0) % dimensions]! += 1;
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => value / norm);
}

function encodeBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

export function mockEmbeddingResponse(body: JsonObject, model: string): JsonObject {
  const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ''];
  const dimensions = typeof body.dimensions === 'number' && body.dimensions > 0 ? Math.min(body.dimensions, 4096) : 256;
  const base64 = body.encoding_format === 'base64';
  const data = inputs.map((input, index) => {
    const vector = mockEmbeddingVector(typeof input === 'string' ? input : JSON.stringify(input), dimensions);
    return { object: 'embedding', index, embedding: base64 ? encodeBase64(vector) : vector };
  });
  const tokens = approximateTokens(promptText(body));
  return { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}
