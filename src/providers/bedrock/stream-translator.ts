// Bedrock ConverseStream (binary event-stream frames) → OpenAI chat chunks, frame by frame.
import { ChatChunkWriter } from '../../core/chat-chunk-writer.js';
import { isJsonObject, type JsonObject } from '../../core/json.js';
import type { StreamTranslator, TranslationContext } from '../../core/provider-contract.js';
import { badProviderOutput } from '../../core/upstream-error.js';
import type { Usage } from '../../core/usage.js';
import { awsLibraries } from './aws-libraries.js';
import type { EventStreamDecoder, FrameSink } from './event-stream-decoder.js';
import { bedrockExceptionError } from './map-error.js';
import { JSON_TOOL_NAME } from './map-request.js';
import { converseUsage, mapStopReason } from './map-response.js';

export class BedrockStreamTranslator implements StreamTranslator, FrameSink {
  usage: Usage | null = null;
  private readonly writer: ChatChunkWriter;
  private readonly decoder: EventStreamDecoder;
  private out = '';
  /** OpenAI tool index per Converse content-block index; -2 marks the JSON-mode tool. */
  private readonly toolIndexOf: number[] = [];
  private toolCount = 0;
  private stopped = false;

  constructor(ctx: TranslationContext) {
    this.writer = new ChatChunkWriter(ctx);
    this.decoder = new (awsLibraries().decoder.EventStreamDecoder)(this);
  }

  push(chunk: Buffer): string {
    this.decoder.push(chunk);
    const out = this.out;
    this.out = '';
    return out;
  }

  end(): string {
    if (this.decoder.hasPartialFrame) throw badProviderOutput('bedrock', 'stream ended inside an event-stream frame');
    if (!this.stopped) throw badProviderOutput('bedrock', 'stream ended before messageStop');
    const out = this.out + this.writer.close(this.usage);
    this.out = '';
    return out;
  }

  onFrame(messageType: string, eventType: string, payload: string): void {
    if (messageType !== 'event') throw bedrockExceptionError(eventType || 'internalServerException', payload);
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      throw badProviderOutput('bedrock', `malformed JSON in ${eventType} event`);
    }
    const event: JsonObject = isJsonObject(parsed) ? parsed : {};
    switch (eventType) {
      case 'messageStart':
        this.out += this.writer.start(null, null);
        return;
      case 'contentBlockStart':
        return this.onBlockStart(event);
      case 'contentBlockDelta':
        return this.onBlockDelta(event);
      case 'contentBlockStop':
        return;
      case 'messageStop': {
        this.stopped = true;
        const jsonMode = this.toolIndexOf.includes(-2);
        this.out += this.writer.finish(jsonMode ? 'stop' : mapStopReason(event.stopReason));
        return;
      }
      case 'metadata':
        this.usage = converseUsage(event.usage) ?? this.usage;
        return;
      default:
        throw badProviderOutput('bedrock', `unknown stream event '${eventType}'`);
    }
  }

  private onBlockStart(event: JsonObject): void {
    const index = typeof event.contentBlockIndex === 'number' ? event.contentBlockIndex : 0;
    const start = isJsonObject(event.start) ? event.start : {};
    if (!isJsonObject(start.toolUse)) return;
    const use = start.toolUse;
    if (use.name === JSON_TOOL_NAME) {
      this.toolIndexOf[index] = -2;
      return;
    }
    const toolIndex = this.toolCount++;
    this.toolIndexOf[index] = toolIndex;
    this.out += this.writer.toolStart(toolIndex, String(use.toolUseId ?? ''), String(use.name ?? ''));
  }

  private onBlockDelta(event: JsonObject): void {
    const delta = isJsonObject(event.delta) ? event.delta : {};
    const index = typeof event.contentBlockIndex === 'number' ? event.contentBlockIndex : 0;
    if (typeof delta.text === 'string') this.out += this.writer.text(delta.text);
    else if (isJsonObject(delta.toolUse)) {
      const input = String(delta.toolUse.input ?? '');
      const toolIndex = this.toolIndexOf[index] ?? 0;
      this.out += toolIndex === -2 ? this.writer.text(input) : this.writer.toolArgs(toolIndex, input);
    } else if (isJsonObject(delta.reasoningContent) && typeof delta.reasoningContent.text === 'string') {
      this.out += this.writer.reasoning(delta.reasoningContent.text);
    }
  }
}
