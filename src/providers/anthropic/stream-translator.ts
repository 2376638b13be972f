// Anthropic's Messages event stream → OpenAI chat chunks, event by event (text, tool-call JSON deltas, thinking, usage).
import { ChatStreamTranslator } from '../../core/chat-stream-translator.js';
import { isJsonObject, type JsonObject } from '../../core/json.js';
import type { TranslationContext } from '../../core/provider-contract.js';
import { SseDecoder, type SseSink } from '../../core/sse-decoder.js';
import { badProviderOutput } from '../../core/upstream-error.js';
import { makeUsage } from '../../core/openai-shapes.js';
import { anthropicErrorFromJson } from './map-error.js';
import { JSON_TOOL_NAME } from './map-request.js';
import { anthropicUsage, mapStopReason } from './map-response.js';

const NO_HEADERS = {};

export class AnthropicStreamTranslator extends ChatStreamTranslator implements SseSink {
  protected readonly decoder = new SseDecoder(this);
  /** OpenAI tool-call index per Anthropic content-block index; -1 for text, -2 for the JSON-mode tool. */
  private readonly blockKinds: number[] = [];
  private toolCount = 0;

  constructor(ctx: TranslationContext) {
    super(ctx, 'anthropic', 'stream ended before message_stop');
  }

  onEvent(event: string, data: string): void {
    const parsed = this.parseEvent(data, event);
    const type = typeof parsed.type === 'string' ? parsed.type : event;
    switch (type) {
      case 'message_start':
        return this.onMessageStart(parsed.message);
      case 'content_block_start':
        return this.onBlockStart(parsed);
      case 'content_block_delta':
        return this.onBlockDelta(parsed);
      case 'message_delta':
        return this.onMessageDelta(parsed);
      case 'message_stop':
        this.complete = true;
        return;
      case 'content_block_stop':
      case 'ping':
        return;
      case 'error':
        throw anthropicErrorFromJson(200, parsed, 'Anthropic stream error', NO_HEADERS);
      default:
        throw badProviderOutput('anthropic', `unknown stream event '${type}'`);
    }
  }

  private onMessageStart(message: unknown): void {
    const msg = isJsonObject(message) ? message : {};
    this.usage = anthropicUsage(msg.usage);
    this.out += this.writer.start(typeof msg.id === 'string' ? msg.id : null, typeof msg.model === 'string' ? msg.model : null);
  }

  private onBlockStart(event: JsonObject): void {
    const index = typeof event.index === 'number' ? event.index : this.blockKinds.length;
    const block = isJsonObject(event.content_block) ? event.content_block : {};
    if (block.type === 'tool_use' && block.name === JSON_TOOL_NAME) this.blockKinds[index] = -2;
    else if (block.type === 'tool_use') {
      const toolIndex = this.toolCount++;
      this.blockKinds[index] = toolIndex;
      this.out += this.writer.toolStart(toolIndex, String(block.id ?? ''), String(block.name ?? ''));
    } else {
      this.blockKinds[index] = -1;
      if (block.type === 'text' && typeof block.text === 'string') this.out += this.writer.text(block.text);
    }
  }

  private onBlockDelta(event: JsonObject): void {
    const delta = isJsonObject(event.delta) ? event.delta : {};
    const kind = this.blockKinds[typeof event.index === 'number' ? event.index : 0] ?? -1;
    switch (delta.type) {
      case 'text_delta':
        this.out += this.writer.text(String(delta.text ?? ''));
        return;
      case 'input_json_delta': {
        const partial = String(delta.partial_json ?? '');
        this.out += kind === -2 ? this.writer.text(partial) : this.writer.toolArgs(kind, partial);
        return;
      }
      case 'thinking_delta':
        this.out += this.writer.reasoning(String(delta.thinking ?? ''));
        return;
      default:
        // signature_delta, citations_delta and future delta types carry nothing OpenAI clients read.
        return;
    }
  }

  private onMessageDelta(event: JsonObject): void {
    const delta = isJsonObject(event.delta) ? event.delta : {};
    const usage = isJsonObject(event.usage) ? event.usage : {};
    const previous = this.usage ?? makeUsage(0, 0);
    const output = typeof usage.output_tokens === 'number' ? usage.output_tokens : previous.completionTokens;
    this.usage = makeUsage(previous.promptTokens, output, previous.cachedPromptTokens, previous.cacheCreationTokens);
    if (delta.stop_reason !== undefined && delta.stop_reason !== null) {
      const jsonMode = this.blockKinds.includes(-2);
      this.out += this.writer.finish(jsonMode ? 'stop' : mapStopReason(delta.stop_reason));
    }
  }
}
