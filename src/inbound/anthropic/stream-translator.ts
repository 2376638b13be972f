// OpenAI chat stream → Anthropic Messages SSE events, chunk by chunk, as the official @anthropic-ai/sdk reads them.
import { errorBody, type GatewayError } from '../../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import { ChatStreamRewriter } from '../chat-stream-rewriter.js';
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
export class ChatToAnthropicRewriter extends ChatStreamRewriter {
  private readonly model: string;
  private blockKind = NO_BLOCK;
  /** Index of the open block, and how many blocks were opened so far. */
  private blockIndex = -1;
  private blockCount = 0;
  /** OpenAI tool-call index → Anthropic content block index. */
  private readonly toolBlocks: number[] = [];

  constructor(model: string) {
    super();
    this.model = model;
  }

  protected convertCompletion(completion: JsonValue): JsonValue {
    return chatToMessage(completion, this.model);
  }

  errorFrame(error: GatewayError): string {
    // The contract's error body; the `event: error` name is what makes the Anthropic SDK raise it.
    return `${this.out}event: error\ndata: ${errorBody(error)}\n\n`;
  }

  protected start(chunk: JsonObject | null): void {
    const message = { id: messageId(chunk?.id), type: 'message', role: 'assistant', model: this.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } };
    this.out += event('message_start', JSON.stringify({ type: 'message_start', message })) + PING;
  }

  protected onChoice(choice: JsonObject): void {
    if (isJsonObject(choice.delta)) this.delta(choice.delta);
    if (typeof choice.finish_reason === 'string') {
      this.finishReason = choice.finish_reason;
      this.closeBlock();
    }
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

  protected close(): void {
    this.closeBlock();
    const delta = { type: 'message_delta', delta: { stop_reason: stopReasonOf(this.finishReason), stop_sequence: null }, usage: anthropicUsage(this.usageJson) };
    this.out += event('message_delta', JSON.stringify(delta)) + MESSAGE_STOP;
  }
}
