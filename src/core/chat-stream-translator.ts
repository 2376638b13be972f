// What every provider's stream translator shares: a decoder for the provider's framing, an output buffer drained on
// each push, JSON events that must be objects, and an end that fails when the provider never sent its last event.
import { ChatChunkWriter } from './chat-chunk-writer.js';
import { isJsonObject, type JsonObject } from './json.js';
import type { StreamTranslator, TranslationContext } from './provider-contract.js';
import { badProviderOutput } from './upstream-error.js';
import type { Usage } from './usage.js';

/** SSE or NDJSON framing: fed raw chunks, calls its sink back once per whole event or line. */
export interface FrameDecoder {
  push(chunk: Buffer): void;
  finish(): void;
}

export abstract class ChatStreamTranslator implements StreamTranslator {
  usage: Usage | null = null;
  protected readonly writer: ChatChunkWriter;
  /** OpenAI SSE text produced since the last push. */
  protected out = '';
  /** Set by the subclass when the provider's final event has arrived. */
  protected complete = false;
  protected abstract readonly decoder: FrameDecoder;
  private readonly provider: string;
  private readonly incompleteMessage: string;

  constructor(ctx: TranslationContext, provider: string, incompleteMessage: string) {
    this.writer = new ChatChunkWriter(ctx);
    this.provider = provider;
    this.incompleteMessage = incompleteMessage;
  }

  push(chunk: Buffer): string {
    this.decoder.push(chunk);
    const out = this.out;
    this.out = '';
    return out;
  }

  end(): string {
    this.decoder.finish();
    if (!this.complete) throw badProviderOutput(this.provider, this.incompleteMessage);
    const out = this.out + this.writer.close(this.usage);
    this.out = '';
    return out;
  }

  /** Parses one SSE event's data (named `event`, '' when unnamed) into an object, or fails the stream. */
  protected parseEvent(data: string, event: string): JsonObject {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      throw badProviderOutput(this.provider, `malformed JSON in ${event || 'stream'} event`);
    }
    if (!isJsonObject(parsed)) throw badProviderOutput(this.provider, 'stream event is not an object');
    return parsed;
  }

  /** Parses one NDJSON line into an object, or fails the stream. */
  protected parseLine(line: string): JsonObject {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw badProviderOutput(this.provider, 'malformed JSON line in stream');
    }
    if (!isJsonObject(parsed)) throw badProviderOutput(this.provider, 'stream line is not an object');
    return parsed;
  }
}
