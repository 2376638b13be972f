// Ollama's NDJSON chat stream (one partial response per line, `done: true` last) → OpenAI chat chunks.
import { ChatStreamTranslator } from '../../core/chat-stream-translator.js';
import { isJsonObject } from '../../core/json.js';
import { NdjsonDecoder, type LineSink } from '../../core/ndjson-decoder.js';
import type { TranslationContext } from '../../core/provider-contract.js';
import { providerError } from '../../core/upstream-error.js';
import { mapDoneReason, ollamaUsage, toolCallsOf } from './map-response.js';

export class OllamaStreamTranslator extends ChatStreamTranslator implements LineSink {
  protected readonly decoder = new NdjsonDecoder(this);
  private toolCount = 0;

  constructor(ctx: TranslationContext) {
    super(ctx, 'ollama', 'stream ended before done');
  }

  onLine(line: string): void {
    const parsed = this.parseLine(line);
    if (typeof parsed.error === 'string') throw providerError({ status: 500, message: parsed.error });
    if (!this.writer.isStarted) this.out += this.writer.start(null, typeof parsed.model === 'string' ? parsed.model : null);
    const message = isJsonObject(parsed.message) ? parsed.message : {};
    if (typeof message.thinking === 'string') this.out += this.writer.reasoning(message.thinking);
    if (typeof message.content === 'string') this.out += this.writer.text(message.content);
    for (const call of toolCallsOf(message)) this.out += this.writer.toolStart(this.toolCount++, call.id, call.name, call.arguments);
    if (parsed.done === true) {
      this.complete = true;
      this.usage = ollamaUsage(parsed);
      this.out += this.writer.finish(mapDoneReason(parsed.done_reason, this.toolCount > 0));
    }
  }
}
