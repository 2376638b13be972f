// Cohere v2's typed SSE events (message-start, content-delta, tool-call-*, message-end) → OpenAI chat chunks.
import { ChatStreamTranslator } from '../../core/chat-stream-translator.js';
import { isJsonObject, type JsonObject } from '../../core/json.js';
import type { TranslationContext } from '../../core/provider-contract.js';
import { SseDecoder, type SseSink } from '../../core/sse-decoder.js';
import { badProviderOutput, providerError } from '../../core/upstream-error.js';
import { cohereUsage, mapFinishReason } from './map-response.js';

/** Events that carry nothing an OpenAI client reads. */
const IGNORED = new Set(['content-start', 'content-end', 'tool-call-end', 'tool-plan-delta', 'citation-start', 'citation-end', 'debug']);

function messageDelta(event: JsonObject): JsonObject {
  const delta = isJsonObject(event.delta) ? event.delta : {};
  return isJsonObject(delta.message) ? delta.message : {};
}

export class CohereStreamTranslator extends ChatStreamTranslator implements SseSink {
  protected readonly decoder = new SseDecoder(this);
  private toolIndex = -1;

  constructor(ctx: TranslationContext) {
    super(ctx, 'cohere', 'stream ended before message-end');
  }

  onEvent(event: string, data: string): void {
    const parsed = this.parseEvent(data, event);
    const type = typeof parsed.type === 'string' ? parsed.type : event;
    if (IGNORED.has(type)) return;
    switch (type) {
      case 'message-start':
        this.out += this.writer.start(typeof parsed.id === 'string' ? parsed.id : null, null);
        return;
      case 'content-delta': {
        const content = messageDelta(parsed).content;
        if (isJsonObject(content) && typeof content.text === 'string') this.out += this.writer.text(content.text);
        return;
      }
      case 'tool-call-start': {
        const call = messageDelta(parsed).tool_calls;
        const fn = isJsonObject(call) && isJsonObject(call.function) ? call.function : {};
        this.toolIndex = typeof parsed.index === 'number' ? parsed.index : this.toolIndex + 1;
        this.out += this.writer.toolStart(this.toolIndex, isJsonObject(call) ? String(call.id ?? '') : '', String(fn.name ?? ''), typeof fn.arguments === 'string' ? fn.arguments : '');
        return;
      }
      case 'tool-call-delta': {
        const call = messageDelta(parsed).tool_calls;
        const fn = isJsonObject(call) && isJsonObject(call.function) ? call.function : {};
        const index = typeof parsed.index === 'number' ? parsed.index : Math.max(this.toolIndex, 0);
        if (typeof fn.arguments === 'string') this.out += this.writer.toolArgs(index, fn.arguments);
        return;
      }
      case 'message-end':
        return this.onEnd(parsed);
      default:
        throw badProviderOutput('cohere', `unknown stream event '${type}'`);
    }
  }

  private onEnd(event: JsonObject): void {
    const delta = isJsonObject(event.delta) ? event.delta : {};
    // Cohere reports a failed generation in the last event instead of a separate error event.
    if (delta.finish_reason === 'ERROR') throw providerError({ status: 500, message: typeof delta.error === 'string' ? delta.error : 'Cohere generation failed' });
    this.usage = cohereUsage(delta.usage) ?? this.usage;
    this.complete = true;
    this.out += this.writer.finish(mapFinishReason(delta.finish_reason));
  }
}
