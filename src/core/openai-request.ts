// Typed readers for the parts of an OpenAI chat/embedding request that every native adapter translates.
import { invalidRequest } from './errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

export interface FunctionTool {
  name: string;
  description: string | undefined;
  parameters: JsonObject | undefined;
  /** Passed through to providers that take it (Anthropic prompt caching). */
  cacheControl: JsonValue | undefined;
}

export type ToolChoiceIn = { mode: 'auto' | 'none' | 'required' } | { mode: 'named'; name: string } | null;

export function messagesOf(body: JsonObject): JsonObject[] {
  const messages = body.messages;
  if (!Array.isArray(messages)) throw invalidRequest('messages must be an array.', 'messages');
  for (const message of messages) if (!isJsonObject(message)) throw invalidRequest('Each message must be an object.', 'messages');
  return messages as JsonObject[];
}

export function stringOf(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function numberOf(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `stop` as a list (OpenAI allows a string or an array). */
export function stopSequencesOf(body: JsonObject): string[] | undefined {
  const stop = body.stop;
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop)) return stop.filter((item): item is string => typeof item === 'string');
  return undefined;
}

export function maxTokensOf(body: JsonObject): number | undefined {
  return numberOf(body.max_completion_tokens) ?? numberOf(body.max_tokens);
}

/** Plain text of a message's content (string, or the text parts of an array). */
export function textOf(content: JsonValue | undefined): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) if (isJsonObject(part) && typeof part.text === 'string') text += part.text;
  return text;
}

export function toolsOf(body: JsonObject): FunctionTool[] {
  const tools = body.tools;
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw invalidRequest('tools must be an array.', 'tools');
  const out: FunctionTool[] = [];
  for (const tool of tools) {
    const fn = isJsonObject(tool) ? tool.function : undefined;
    if (!isJsonObject(tool) || !isJsonObject(fn) || typeof fn.name !== 'string') throw invalidRequest('Each tool must be {type: "function", function: {name, …}}.', 'tools');
    out.push({ name: fn.name, description: stringOf(fn.description), parameters: isJsonObject(fn.parameters) ? fn.parameters : undefined, cacheControl: tool.cache_control });
  }
  return out;
}

export function toolChoiceOf(body: JsonObject): ToolChoiceIn {
  const choice = body.tool_choice;
  if (choice === undefined || choice === null) return null;
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { mode: choice };
  if (isJsonObject(choice) && isJsonObject(choice.function) && typeof choice.function.name === 'string') return { mode: 'named', name: choice.function.name };
  throw invalidRequest('tool_choice must be "auto", "none", "required" or {type: "function", function: {name}}.', 'tool_choice');
}

/** Tool-call arguments are JSON text in OpenAI's format and objects in most others. */
export function parseToolArguments(text: JsonValue | undefined): JsonObject {
  if (isJsonObject(text)) return text;
  if (typeof text !== 'string' || text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // fall through
  }
  throw invalidRequest('tool_calls[].function.arguments must be a JSON object.', 'messages');
}

export interface DataUrl {
  mediaType: string;
  data: string;
}

/** `data:image/png;base64,AAAA` → media type and base64 data; null for other URLs. */
export function parseDataUrl(url: string): DataUrl | null {
  if (!url.startsWith('data:')) return null;
  const comma = url.indexOf(',');
  const semicolon = url.indexOf(';base64');
  if (comma === -1 || semicolon === -1 || semicolon > comma) throw invalidRequest('Only base64 data URLs are supported for images.', 'messages');
  return { mediaType: url.slice(5, semicolon), data: url.slice(comma + 1) };
}

export function imageUrlOf(part: JsonObject): string {
  const image = part.image_url;
  const url = isJsonObject(image) ? image.url : image;
  if (typeof url !== 'string') throw invalidRequest('image_url parts need image_url.url.', 'messages');
  return url;
}

/** `response_format` as a JSON mode: null when absent or text. */
export function jsonModeOf(body: JsonObject): { schema: JsonObject | null; name: string } | null {
  const format = body.response_format;
  if (!isJsonObject(format) || format.type === 'text') return null;
  if (format.type === 'json_object') return { schema: null, name: 'json_object' };
  if (format.type === 'json_schema' && isJsonObject(format.json_schema)) {
    const spec = format.json_schema;
    return { schema: isJsonObject(spec.schema) ? spec.schema : null, name: typeof spec.name === 'string' ? spec.name : 'json_schema' };
  }
  throw invalidRequest('response_format.type must be text, json_object or json_schema.', 'response_format');
}

/** Embedding input as a list of strings (token arrays are not translatable to other providers). */
export function embeddingInputsOf(body: JsonObject): string[] {
  const input = body.input;
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.every((item) => typeof item === 'string')) return input as string[];
  throw invalidRequest('input must be a string or an array of strings for this provider.', 'input');
}

/** LiteLLM's mapping of `reasoning_effort` to a thinking budget in tokens. */
export function reasoningBudgetOf(body: JsonObject): number | null {
  switch (body.reasoning_effort) {
    case 'minimal':
    case 'low':
      return 1024;
    case 'medium':
      return 2048;
    case 'high':
      return 4096;
    default:
      return null;
  }
}
