// A local input-token estimate for /v1/messages/count_tokens on non-Anthropic deployments (js-tiktoken).
// The BPE ranks are a few MB, so each encoding is loaded on first use, once per process, never at start-up.
import { Tiktoken } from 'js-tiktoken/lite';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';

type EncodingName = 'cl100k_base' | 'o200k_base';

const encoders = new Map<EncodingName, Tiktoken>();
const loading = new Map<EncodingName, Promise<Tiktoken>>();

const O200K_MODELS = /^(gpt-4o|gpt-4\.1|gpt-5|o1|o3|o4|chatgpt-4o)/;

/** OpenAI's newer families use o200k; everything else gets the cl100k estimate. */
export function encodingForModel(model: string): EncodingName {
  return O200K_MODELS.test(model) ? 'o200k_base' : 'cl100k_base';
}

async function load(name: EncodingName): Promise<Tiktoken> {
  const ranks = name === 'o200k_base' ? await import('js-tiktoken/ranks/o200k_base') : await import('js-tiktoken/ranks/cl100k_base');
  const encoder = new Tiktoken(ranks.default);
  encoders.set(name, encoder);
  return encoder;
}

/** The encoder if loaded (the warm path), else a promise of it. */
export function encoder(name: EncodingName): Tiktoken | Promise<Tiktoken> {
  const ready = encoders.get(name);
  if (ready !== undefined) return ready;
  let pending = loading.get(name);
  if (pending === undefined) {
    pending = load(name);
    loading.set(name, pending);
  }
  return pending;
}

function addText(parts: string[], value: JsonValue | undefined): void {
  if (typeof value === 'string') parts.push(value);
  else if (Array.isArray(value)) for (const item of value) addBlock(parts, item);
}

function addBlock(parts: string[], block: JsonValue): void {
  if (typeof block === 'string') return void parts.push(block);
  if (!isJsonObject(block)) return;
  if (typeof block.text === 'string') parts.push(block.text);
  if (typeof block.thinking === 'string') parts.push(block.thinking);
  if (block.type === 'tool_use') parts.push(typeof block.name === 'string' ? block.name : '', JSON.stringify(block.input ?? {}));
  if (block.type === 'tool_result') addText(parts, block.content);
}

/** Every piece of text the model reads: system, message content, tool calls and results, tool definitions. */
export function promptPieces(body: JsonObject): string[] {
  const parts: string[] = [];
  addText(parts, body.system);
  if (Array.isArray(body.messages)) for (const message of body.messages) if (isJsonObject(message)) addText(parts, message.content);
  if (Array.isArray(body.tools)) for (const tool of body.tools) parts.push(JSON.stringify(tool));
  return parts;
}

/** Per-message framing overhead, as OpenAI's cookbook counts it. */
const TOKENS_PER_MESSAGE = 3;

export function countInputTokens(tokenizer: Tiktoken, body: JsonObject): number {
  let total = 3;
  for (const piece of promptPieces(body)) total += tokenizer.encode(piece).length;
  if (Array.isArray(body.messages)) total += TOKENS_PER_MESSAGE * body.messages.length;
  return total;
}
