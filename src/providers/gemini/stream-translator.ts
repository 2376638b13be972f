// Gemini's `alt=sse` stream (one GenerateContentResponse per event) → OpenAI chat chunks.
import { ChatChunkWriter } from '../../core/chat-chunk-writer.js';
import { isJsonObject } from '../../core/json.js';
import type { StreamTranslator, TranslationContext } from '../../core/provider-contract.js';
import { SseDecoder, type SseSink } from '../../core/sse-decoder.js';
import { badProviderOutput } from '../../core/upstream-error.js';
import type { Usage } from '../../core/usage.js';
import { geminiErrorFromJson } from './map-error.js';
import { firstCandidate, geminiUsage, isPromptBlocked, mapFinishReason, partsOf, toolCallOf } from './map-response.js';

const NO_HEADERS = {};

export class GeminiStreamTranslator implements StreamTranslator, SseSink {
  usage: Usage | null = null;
  private readonly writer: ChatChunkWriter;
  private readonly decoder: SseDecoder;
  private out = '';
  private toolCount = 0;
  private finished = false;

  constructor(ctx: TranslationContext) {
    this.writer = new ChatChunkWriter(ctx);
    this.decoder = new SseDecoder(this);
  }

  push(chunk: Buffer): string {
    this.decoder.push(chunk);
    const out = this.out;
    this.out = '';
    return out;
  }

  end(): string {
    this.decoder.finish();
    if (!this.finished) throw badProviderOutput('gemini', 'stream ended before a finishReason');
    const out = this.out + this.writer.close(this.usage);
    this.out = '';
    return out;
  }

  onEvent(_event: string, data: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      throw badProviderOutput('gemini', 'malformed JSON in stream event');
    }
    if (!isJsonObject(parsed)) throw badProviderOutput('gemini', 'stream event is not an object');
    if (parsed.error !== undefined) throw geminiErrorFromJson(200, parsed, 'Gemini stream error', NO_HEADERS);
    const usage = geminiUsage(parsed.usageMetadata);
    if (usage !== null) this.usage = usage;
    if (!this.writer.isStarted) {
      this.out += this.writer.start(typeof parsed.responseId === 'string' ? parsed.responseId : null, typeof parsed.modelVersion === 'string' ? parsed.modelVersion : null);
    }
    const candidate = firstCandidate(parsed);
    if (candidate === null) {
      // A usage-only event can close a stream; anything else without candidates is not a Gemini response.
      if (usage !== null) return;
      if (!isPromptBlocked(parsed)) throw badProviderOutput('gemini', 'stream event has no candidates');
      this.finished = true;
      this.out += this.writer.finish('content_filter');
      return;
    }
    for (const part of partsOf(candidate)) {
      const call = toolCallOf(part);
      if (call !== null) this.out += this.writer.toolStart(this.toolCount++, call.id, call.name, call.arguments);
      else if (typeof part.text === 'string') this.out += part.thought === true ? this.writer.reasoning(part.text) : this.writer.text(part.text);
    }
    if (typeof candidate.finishReason === 'string' && !this.finished) {
      this.finished = true;
      this.out += this.writer.finish(mapFinishReason(candidate.finishReason, this.toolCount > 0));
    }
  }
}
