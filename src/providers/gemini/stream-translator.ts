// Gemini's `alt=sse` stream (one GenerateContentResponse per event) → OpenAI chat chunks.
import { ChatStreamTranslator } from '../../core/chat-stream-translator.js';
import type { TranslationContext } from '../../core/provider-contract.js';
import { SseDecoder, type SseSink } from '../../core/sse-decoder.js';
import { badProviderOutput } from '../../core/upstream-error.js';
import { geminiErrorFromJson } from './map-error.js';
import { firstCandidate, geminiUsage, isPromptBlocked, mapFinishReason, partsOf, toolCallOf } from './map-response.js';

const NO_HEADERS = {};

export class GeminiStreamTranslator extends ChatStreamTranslator implements SseSink {
  protected readonly decoder = new SseDecoder(this);
  private toolCount = 0;

  constructor(ctx: TranslationContext) {
    super(ctx, 'gemini', 'stream ended before a finishReason');
  }

  onEvent(_event: string, data: string): void {
    const parsed = this.parseEvent(data, '');
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
      this.complete = true;
      this.out += this.writer.finish('content_filter');
      return;
    }
    for (const part of partsOf(candidate)) {
      const call = toolCallOf(part);
      if (call !== null) this.out += this.writer.toolStart(this.toolCount++, call.id, call.name, call.arguments);
      else if (typeof part.text === 'string') this.out += part.thought === true ? this.writer.reasoning(part.text) : this.writer.text(part.text);
    }
    if (typeof candidate.finishReason === 'string' && !this.complete) {
      this.complete = true;
      this.out += this.writer.finish(mapFinishReason(candidate.finishReason, this.toolCount > 0));
    }
  }
}
