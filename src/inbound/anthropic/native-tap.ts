// Watches a natively forwarded Anthropic answer without changing a byte: usage for observers, Anthropic error framing.
import { errorBody, type GatewayError } from '../../core/errors.js';
import { isJsonObject, type JsonValue } from '../../core/json.js';
import type { Usage } from '../../core/usage.js';
import type { ResponseRewriter } from '../inbound-call.js';
import { SseDecoder, type SseSink } from '../../core/sse-decoder.js';

function count(value: JsonValue | undefined): number {
  return typeof value === 'number' && value >= 0 ? value : 0;
}

/** Anthropic's input_tokens excludes cache reads and writes; the gateway's prompt count includes them. */
export function usageFromAnthropic(value: JsonValue | undefined, into: Usage | null): Usage | null {
  if (!isJsonObject(value)) return into;
  const usage = into ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0, cachedPromptTokens: 0, cacheCreationTokens: 0 };
  if (value.input_tokens !== undefined) {
    usage.cachedPromptTokens = count(value.cache_read_input_tokens);
    usage.cacheCreationTokens = count(value.cache_creation_input_tokens);
    usage.promptTokens = count(value.input_tokens) + usage.cachedPromptTokens + usage.cacheCreationTokens;
  }
  if (value.output_tokens !== undefined) usage.completionTokens = count(value.output_tokens);
  usage.totalTokens = usage.promptTokens + usage.completionTokens;
  return usage;
}

const USAGE_MARKER = '"usage"';

export class AnthropicNativeTap implements ResponseRewriter, SseSink {
  private readonly reader = new SseDecoder(this, { keepUnterminatedEvent: true });
  usage: Usage | null = null;

  rewriteBody(body: Buffer | string): Buffer | string {
    try {
      const parsed: unknown = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
      if (isJsonObject(parsed)) this.usage = usageFromAnthropic(parsed.usage, null);
    } catch {
      // Forwarded unchanged whatever it is; only the usage figure is lost.
    }
    return body;
  }

  push(chunk: Buffer | string): Buffer | string {
    this.reader.push(chunk);
    return chunk;
  }

  end(): string {
    return '';
  }

  errorFrame(error: GatewayError): string {
    return `event: error\ndata: ${errorBody(error)}\n\n`;
  }

  /** Only message_start and message_delta carry usage; other events are not parsed. */
  onEvent(_event: string, data: string): void {
    if (!data.includes(USAGE_MARKER)) return;
    try {
      const parsed: unknown = JSON.parse(data);
      if (!isJsonObject(parsed)) return;
      const usage = parsed.type === 'message_start' && isJsonObject(parsed.message) ? parsed.message.usage : parsed.usage;
      this.usage = usageFromAnthropic(usage, this.usage);
    } catch {
      // Not ours to judge: the client gets the bytes as the provider sent them.
    }
  }
}
