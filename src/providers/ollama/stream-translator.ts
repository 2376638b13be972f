// Ollama's NDJSON chat stream (one partial response per line, `done: true` last) → OpenAI chat chunks.
import { ChatChunkWriter } from '../../core/chat-chunk-writer.js';
import { isJsonObject } from '../../core/json.js';
import { NdjsonDecoder, type LineSink } from '../../core/ndjson-decoder.js';
import type { StreamTranslator, TranslationContext } from '../../core/provider-contract.js';
import { badProviderOutput, providerError } from '../../core/upstream-error.js';
import type { Usage } from '../../core/usage.js';
import { mapDoneReason, ollamaUsage, toolCallsOf } from './map-response.js';

export class OllamaStreamTranslator implements StreamTranslator, LineSink {
  usage: Usage | null = null;
  private readonly writer: ChatChunkWriter;
  private readonly decoder: NdjsonDecoder;
  private out = '';
  private toolCount = 0;
  private done = false;

  constructor(ctx: TranslationContext) {
    this.writer = new ChatChunkWriter(ctx);
    this.decoder = new NdjsonDecoder(this);
  }

  push(chunk: Buffer): string {
    this.decoder.push(chunk);
    const out = this.out;
    this.out = '';
    return out;
  }

  end(): string {
    this.decoder.finish();
    if (!this.done) throw badProviderOutput('ollama', 'stream ended before done');
    const out = this.out + this.writer.close(this.usage);
    this.out = '';
    return out;
  }

  onLine(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw badProviderOutput('ollama', 'malformed JSON line in stream');
    }
    if (!isJsonObject(parsed)) throw badProviderOutput('ollama', 'stream line is not an object');
    if (typeof parsed.error === 'string') throw providerError({ status: 500, message: parsed.error });
    if (!this.writer.isStarted) this.out += this.writer.start(null, typeof parsed.model === 'string' ? parsed.model : null);
    const message = isJsonObject(parsed.message) ? parsed.message : {};
    if (typeof message.thinking === 'string') this.out += this.writer.reasoning(message.thinking);
    if (typeof message.content === 'string') this.out += this.writer.text(message.content);
    for (const call of toolCallsOf(message)) this.out += this.writer.toolStart(this.toolCount++, call.id, call.name, call.arguments);
    if (parsed.done === true) {
      this.done = true;
      this.usage = ollamaUsage(parsed);
      this.out += this.writer.finish(mapDoneReason(parsed.done_reason, this.toolCount > 0));
    }
  }
}
