// Collects a streamed answer's raw SSE bytes as they pass (one push per chunk) and, after the stream ended,
// assembles them into the equivalent non-stream body (chat.completion or text_completion) for the cache.
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';

/** Streams longer than this are not cached (bounded memory per request). */
const MAX_STREAM_BYTES = 4 * 1024 * 1024;

interface ToolCallParts {
  id: string | null;
  type: string;
  name: string;
  args: string;
}

interface ChoiceParts {
  index: number;
  role: string;
  content: string;
  hasContent: boolean;
  reasoning: string;
  toolCalls: ToolCallParts[];
  finishReason: JsonValue;
}

function choiceOf(choices: Map<number, ChoiceParts>, index: number): ChoiceParts {
  let choice = choices.get(index);
  if (choice === undefined) {
    choice = { index, role: 'assistant', content: '', hasContent: false, reasoning: '', toolCalls: [], finishReason: null };
    choices.set(index, choice);
  }
  return choice;
}

function addToolCalls(choice: ChoiceParts, calls: JsonValue[]): void {
  for (const call of calls) {
    if (!isJsonObject(call)) continue;
    const index = typeof call.index === 'number' ? call.index : choice.toolCalls.length;
    let parts = choice.toolCalls[index];
    if (parts === undefined) {
      parts = { id: null, type: 'function', name: '', args: '' };
      choice.toolCalls[index] = parts;
    }
    if (typeof call.id === 'string') parts.id = call.id;
    if (typeof call.type === 'string') parts.type = call.type;
    const fn = call.function;
    if (isJsonObject(fn)) {
      if (typeof fn.name === 'string') parts.name += fn.name;
      if (typeof fn.arguments === 'string') parts.args += fn.arguments;
    }
  }
}

function addChoice(choices: Map<number, ChoiceParts>, raw: JsonValue): void {
  if (!isJsonObject(raw)) return;
  const choice = choiceOf(choices, typeof raw.index === 'number' ? raw.index : 0);
  if (raw.finish_reason !== undefined && raw.finish_reason !== null) choice.finishReason = raw.finish_reason;
  if (typeof raw.text === 'string') {
    choice.content += raw.text;
    choice.hasContent = true;
  }
  const delta = raw.delta;
  if (!isJsonObject(delta)) return;
  if (typeof delta.role === 'string') choice.role = delta.role;
  if (typeof delta.content === 'string') {
    choice.content += delta.content;
    choice.hasContent = true;
  }
  if (typeof delta.reasoning_content === 'string') choice.reasoning += delta.reasoning_content;
  if (Array.isArray(delta.tool_calls)) addToolCalls(choice, delta.tool_calls);
}

function chatChoice(choice: ChoiceParts): JsonObject {
  const message: JsonObject = { role: choice.role, content: choice.hasContent ? choice.content : null };
  if (choice.reasoning !== '') message.reasoning_content = choice.reasoning;
  if (choice.toolCalls.length > 0) {
    message.tool_calls = choice.toolCalls.map((call) => ({ id: call.id, type: call.type, function: { name: call.name, arguments: call.args } }));
  }
  return { index: choice.index, message, logprobs: null, finish_reason: choice.finishReason };
}

export class StreamAssembler {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private overflow = false;

  push(data: Buffer | string): void {
    if (this.overflow || data.length === 0) return;
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    this.bytes += chunk.length;
    if (this.bytes > MAX_STREAM_BYTES) {
      this.overflow = true;
      this.chunks.length = 0;
      return;
    }
    this.chunks.push(chunk);
  }

  /** The assembled body as JSON text, or null when the stream was too long, malformed, errored or unfinished. */
  assemble(): string | null {
    if (this.overflow || this.chunks.length === 0) return null;
    const text = Buffer.concat(this.chunks, this.bytes).toString('utf8');
    const choices = new Map<number, ChoiceParts>();
    let head: JsonObject | null = null;
    let usage: JsonValue | undefined;
    let done = false;
    for (const line of text.split('\n')) {
      if (!line.startsWith('data:')) continue;
      const payload = line.slice(5).trim();
      if (payload === '[DONE]') {
        done = true;
        continue;
      }
      let event: unknown;
      try {
        event = JSON.parse(payload);
      } catch {
        return null;
      }
      if (!isJsonObject(event) || event.error !== undefined) return null;
      head ??= event;
      if (isJsonObject(event.usage)) usage = event.usage;
      if (Array.isArray(event.choices)) for (const choice of event.choices) addChoice(choices, choice);
    }
    if (!done || head === null || choices.size === 0) return null;
    return JSON.stringify(assembledBody(head, [...choices.values()].sort((a, b) => a.index - b.index), usage));
  }
}

function assembledBody(head: JsonObject, choices: ChoiceParts[], usage: JsonValue | undefined): JsonObject {
  const isText = head.object === 'text_completion';
  const body: JsonObject = {
    id: head.id ?? null,
    object: isText ? 'text_completion' : 'chat.completion',
    created: head.created ?? Math.floor(Date.now() / 1000),
    model: head.model ?? null,
  };
  if (head.system_fingerprint !== undefined) body.system_fingerprint = head.system_fingerprint;
  body.choices = isText
    ? choices.map((choice) => ({ index: choice.index, text: choice.content, logprobs: null, finish_reason: choice.finishReason }))
    : choices.map(chatChoice);
  if (usage !== undefined) body.usage = usage;
  return body;
}
