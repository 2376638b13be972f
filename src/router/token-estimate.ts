// Prompt token estimate for pre-call context-window checks: js-tiktoken (cl100k) once loaded, else chars / 4.
import type { JsonObject } from '../core/json.js';
import { logger } from '../logging/logger.js';

interface Encoder {
  encode(text: string): number[];
}

let encoder: Encoder | null = null;
let loading: Promise<void> | null = null;

/** Loads the tokenizer in the background; only called when pre-call checks are on (it costs a few MB). */
export function loadTokenizer(): Promise<void> {
  loading ??= (async () => {
    try {
      const [{ Tiktoken }, ranks] = await Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/cl100k_base')]);
      encoder = new Tiktoken(ranks.default);
    } catch (error) {
      logger.warn({ err: error }, 'js-tiktoken unavailable; estimating tokens as characters / 4');
    }
  })();
  return loading;
}

function count(text: string): number {
  return encoder !== null ? encoder.encode(text).length : Math.ceil(text.length / 4);
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    let out = '';
    for (const part of value) out += typeof part === 'string' ? part : typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '';
    return out;
  }
  return '';
}

function promptTexts(body: JsonObject): string[] {
  const messages = body.messages;
  if (!Array.isArray(messages)) return [textOf(body.prompt ?? body.input)];
  const texts: string[] = [];
  for (const message of messages) if (typeof message === 'object' && message !== null) texts.push(textOf((message as { content?: unknown }).content));
  return texts;
}

/**
 * Tokens of the prompt (messages, prompt or input) plus OpenAI's per-message overhead. A byte-level BPE token
 * is at least one UTF-8 byte (at most 3 per UTF-16 unit), so a prompt that cannot reach `smallestWindow` even
 * then is not tokenized at all: short prompts cost nothing.
 */
export function estimatePromptTokens(body: JsonObject, smallestWindow: number): number {
  const texts = promptTexts(body);
  const overhead = body.messages === undefined ? 0 : 3 + 4 * texts.length;
  let length = 0;
  for (const text of texts) length += text.length;
  if (length * 3 + overhead <= smallestWindow) return Math.ceil(length / 4) + overhead;
  let total = overhead;
  for (const text of texts) total += count(text);
  return total;
}
