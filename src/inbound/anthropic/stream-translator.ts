// OpenAI chat stream → Anthropic Messages SSE events, chunk by chunk, as the official @anthropic-ai/sdk reads them.
import { errorBody, type GatewayError } from '../../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import { usageFromOpenAI, type Usage } from '../../core/usage.js';
import type { ResponseRewriter } from '../inbound-call.js';
import { SseDataReader, type SseDataSink } from '../sse-data-reader.js';
import { badUpstreamOutput, parseUpstreamJson, streamedError, truncatedStream } from '../upstream-output.js';
import { chatToMessage, messageId } from './chat-to-message.js';
import { stopReasonOf } from './stop-reason.js';
import { anthropicUsage } from './usage.js';

const NO_BLOCK = 0;
const TEXT_BLOCK = 1;
const THINKING_BLOCK = 2;
const TOOL_BLOCK = 3;

function event(name: string, data: string): string {
  return `event: ${name}\ndata: ${data}\n\n`;
}

const PING = event('ping', '{"type":"ping"}');
const MESSAGE_STOP = event('message_stop', '{"type":"message_stop"}');

/** Rewrites one translated answer (streamed or not) into Anthropic's format; one instance per request. */
export class ChatToAnthropicRewriter implements ResponseRewriter, SseDataSink {
  private readonly model: string;
  private readonly reader = new SseDataReader(this);
  /** Text produced by the current `push`, returned to the exchange. */
  private out = '';
  private started = false;
  private finished = false;
  private blockKind = NO_BLOCK;
  /** Index of the open block, and how many blocks were opened so far. */
  private blockIndex = -1;
  private blockCount = 0;
  /** OpenAI tool-call index → Anthropic content block index. */
  private readonly toolBlocks: number[] = [];
  private finishReason: JsonValue | undefined = undefined;
  private usageJson: JsonValue | undefined = undefined;
  usage: Usage | null = null;

  constructor(model: string) {
    this.model = model;
  }

  rewriteBody(body: Buffer | string): string {
    const completion = parseUpstreamJson(typeof body === 'string' ? body : body.toString('utf8'));
    const message = chatToMessage(completion, this.model);
    this.usage = usageFromOpenAI((completion as JsonObject).usage);
    return JSON.stringify(message);
  }

  push(chunk: Buffer | string): string {
    this.reader.push(chunk);
    const out = this.out;
    this.out = '';
    return out;
  }

  end(): string {
    this.reader.finish();
    if (!this.finished) {
      if (this.finishReason === undefined) throw truncatedStream();
      this.finish();
    }
    const out = this.out;
    this.out = '';
    return out;
  }

  errorFrame(error: GatewayError): string {
    // The contract's error body; the `event: error` name is what makes the Anthropic SDK raise it.
    return `${this.out}event: error\ndata: ${errorBody(error)}\n\n`;
  }

  onData(data: string): void {
    if (this.finished) return;
    if (data === '[DONE]') {
      if (this.finishReason === undefined) throw truncatedStream();
      this.finish();
      return;
    }
    const chunk = parseUpstreamJson(data);
    const failure = streamedError(chunk);
    if (failure !== null) throw failure;
    if (!isJsonObject(chunk)) throw badUpstreamOutput('a stream event that is not an object');
    if (!this.started) this.start(chunk.id);
    if (chunk.usage !== undefined && chunk.usage !== null) this.usageJson = chunk.usage;
    const choices = chunk.choices;
    if (!Array.isArray(choices) || choices.length === 0) return;
    const choice = choices[0];
    if (!isJsonObject(choice)) return;
    if (isJsonObject(choice.delta)) this.delta(choice.delta);
    if (typeof choice.finish_reason === 'string') {
      this.finishReason = choice.finish_reason;
      this.closeBlock();
    }
  }

  private start(id: JsonValue | undefined): void {
    this.started = true;
    const message = { id: messageId(id), type: 'message', role: 'assistant', model: this.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } };
    this.out += event('message_start', JSON.stringify({ type: 'message_start', message })) + PING;
  }

  private delta(delta: JsonObject): void {
    const reasoning = delta.reasoning_content;
    if (typeof reasoning === 'string' && reasoning !== '') {
      if (this.blockKind !== THINKING_BLOCK) this.openBlock(THINKING_BLOCK, '{"type":"thinking","thinking":"","signature":""}');
      this.out += event('content_block_delta', `{"type":"content_block_delta","index":${this.blockIndex},"delta":{"type":"thinking_delta","thinking":${JSON.stringify(reasoning)}}}`);
    }
    const text = delta.content;
    if (typeof text === 'string' && text !== '') {
      if (this.blockKind !== TEXT_BLOCK) this.openBlock(TEXT_BLOCK, '{"type":"text","text":""}');
      this.out += event('content_block_delta', `{"type":"content_block_delta","index":${this.blockIndex},"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}`);
    }
    const calls = delta.tool_calls;
    if (Array.isArray(calls)) for (const call of calls) if (isJsonObject(call)) this.toolCall(call);
  }

  private toolCall(call: JsonObject): void {
    const position = typeof call.index === 'number' ? call.index : 0;
    const fn = isJsonObject(call.function) ? call.function : {};
    let index = this.toolBlocks[position];
    if (index === undefined) {
      const block = { type: 'tool_use', id: typeof call.id === 'string' ? call.id : `toolu_${position}`, name: typeof fn.name === 'string' ? fn.name : '', input: {} };
      this.openBlock(TOOL_BLOCK, JSON.stringify(block));
      index = this.blockIndex;
      this.toolBlocks[position] = index;
    }
    const args = fn.arguments;
    if (typeof args === 'string' && args !== '') {
      this.out += event('content_block_delta', `{"type":"content_block_delta","index":${index},"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(args)}}}`);
    }
  }

  private openBlock(kind: number, block: string): void {
    this.closeBlock();
    this.blockKind = kind;
    this.blockIndex = this.blockCount++;
    this.out += event('content_block_start', `{"type":"content_block_start","index":${this.blockIndex},"content_block":${block}}`);
  }

  private closeBlock(): void {
    if (this.blockKind === NO_BLOCK) return;
    this.out += event('content_block_stop', `{"type":"content_block_stop","index":${this.blockIndex}}`);
    this.blockKind = NO_BLOCK;
  }

  private finish(): void {
    this.finished = true;
    if (!this.started) this.start(undefined);
    this.closeBlock();
    this.usage = usageFromOpenAI(this.usageJson);
    const delta = { type: 'message_delta', delta: { stop_reason: stopReasonOf(this.finishReason), stop_sequence: null }, usage: anthropicUsage(this.usageJson) };
    this.out += event('message_delta', JSON.stringify(delta)) + MESSAGE_STOP;
  }
}
