// Token usage as providers report it, read from OpenAI-shaped bodies and SSE streams without parsing them whole.
import { isJsonObject } from './json.js';
import { scanUsage } from './usage-scan.js';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens read from the provider's prompt cache (OpenAI `prompt_tokens_details.cached_tokens`, Anthropic cache reads). */
  cachedPromptTokens: number;
  /** Prompt tokens written to the provider's prompt cache (Anthropic `cache_creation_input_tokens`). */
  cacheCreationTokens: number;
}

const USAGE_MARKER = Buffer.from('"usage"');

function numberOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** Converts an OpenAI `usage` object; null when it is not one. */
export function usageFromOpenAI(value: unknown): Usage | null {
  if (!isJsonObject(value)) return null;
  const prompt = numberOf(value.prompt_tokens ?? value.input_tokens);
  const completion = numberOf(value.completion_tokens ?? value.output_tokens);
  const details = value.prompt_tokens_details ?? value.input_tokens_details;
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: numberOf(value.total_tokens) || prompt + completion,
    cachedPromptTokens: isJsonObject(details) ? numberOf(details.cached_tokens) : numberOf(value.cache_read_input_tokens),
    cacheCreationTokens: numberOf(value.cache_creation_input_tokens),
  };
}

/** Index just past the JSON object starting at `start` (which must be `{`), or -1 if it does not close. */
function endOfObject(buffer: Buffer, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < buffer.length; index++) {
    const byte = buffer[index]!;
    if (inString) {
      if (byte === 0x5c) index++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b) depth++;
    else if (byte === 0x7d && --depth === 0) return index + 1;
  }
  return -1;
}

/** Finds the last `"usage": {…}` in a buffer and parses only that object. */
export function extractUsage(buffer: Buffer): Usage | null {
  const at = buffer.lastIndexOf(USAGE_MARKER);
  if (at === -1) return null;
  let start = at + USAGE_MARKER.length;
  while (start < buffer.length && buffer[start] !== 0x7b && buffer[start] !== 0x6e) start++;
  if (buffer[start] !== 0x7b) return null;
  const scanned = scanUsage(buffer, start);
  if (scanned !== null) return scanned;
  const end = endOfObject(buffer, start);
  if (end === -1) return null;
  try {
    return usageFromOpenAI(JSON.parse(buffer.toString('utf8', start, end)));
  } catch {
    return null;
  }
}

/** Providers send usage in a stream's final events; this much of the tail is always enough to hold them. */
const STREAM_TAIL_BYTES = 16 * 1024;

/**
 * Keeps the last bytes of a piped stream so usage can be read once at its end: O(1) per chunk, and a
 * `"usage"` object split across chunk boundaries is still found.
 */
export class StreamUsageScanner {
  private readonly tail: Buffer[] = [];
  private tailBytes = 0;

  push(chunk: Buffer): void {
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes - this.tail[0]!.length >= STREAM_TAIL_BYTES) this.tailBytes -= this.tail.shift()!.length;
  }

  /** The last usage object the stream carried, or null. */
  finish(): Usage | null {
    if (this.tail.length === 0) return null;
    return extractUsage(this.tail.length === 1 ? this.tail[0]! : Buffer.concat(this.tail, this.tailBytes));
  }
}
