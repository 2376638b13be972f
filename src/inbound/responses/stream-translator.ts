// OpenAI chat stream → Responses API events (response.created … response.completed), chunk by chunk, numbered.
import { errorBody, type GatewayError } from '../../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import { ChatStreamRewriter } from '../chat-stream-rewriter.js';
import { chatToResponse, functionCallItem, idSuffix, messageItem, responseObject, responseUsage, textPart, type ResponseEcho } from './chat-to-response.js';

/** One output item being streamed: the assistant's text message, or one function call. */
interface StreamItem {
  outputIndex: number;
  id: string;
  /** Message text or call arguments, as accumulated so far. */
  text: string;
  /** Function calls only. */
  callId: string;
  name: string;
  isCall: boolean;
}

export class ChatToResponsesRewriter extends ChatStreamRewriter {
  private readonly echo: ResponseEcho;
  private seq = 0;
  private responseId = '';
  private createdAt = 0;
  private suffix = '';
  private readonly items: StreamItem[] = [];
  private message: StreamItem | null = null;
  /** OpenAI tool-call index → its item. */
  private readonly calls: StreamItem[] = [];

  constructor(echo: ResponseEcho) {
    super();
    this.echo = echo;
  }

  protected convertCompletion(completion: JsonValue): JsonValue {
    return chatToResponse(completion, this.echo);
  }

  errorFrame(error: GatewayError): string {
    return `${this.out}data: ${errorBody(error)}\n\n`;
  }

  protected onChoice(choice: JsonObject): void {
    const delta = choice.delta;
    if (isJsonObject(delta)) {
      if (typeof delta.content === 'string' && delta.content !== '') this.text(delta.content);
      if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) if (isJsonObject(call)) this.toolCall(call);
    }
    if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
  }

  private event(type: string, fields: string): void {
    this.out += `event: ${type}\ndata: {"type":"${type}","sequence_number":${this.seq++},${fields}}\n\n`;
  }

  protected start(chunk: JsonObject | null): void {
    this.suffix = idSuffix(chunk?.id);
    this.responseId = `resp_${this.suffix}`;
    const created = chunk?.created;
    this.createdAt = typeof created === 'number' ? created : Math.floor(Date.now() / 1000);
    const snapshot = JSON.stringify(responseObject(this.responseId, this.createdAt, this.echo, 'in_progress', [], null));
    this.event('response.created', `"response":${snapshot}`);
    this.event('response.in_progress', `"response":${snapshot}`);
  }

  private openItem(isCall: boolean, id: string, callId: string, name: string): StreamItem {
    const item: StreamItem = { outputIndex: this.items.length, id, text: '', callId, name, isCall };
    this.items.push(item);
    const added = isCall ? functionCallItem(callId, name, '', 'in_progress') : messageItem(id, '', 'in_progress');
    this.event('response.output_item.added', `"output_index":${item.outputIndex},"item":${JSON.stringify(added)}`);
    if (!isCall) this.event('response.content_part.added', `"item_id":"${id}","output_index":${item.outputIndex},"content_index":0,"part":${JSON.stringify(textPart(''))}`);
    return item;
  }

  private text(delta: string): void {
    this.message ??= this.openItem(false, `msg_${this.suffix}`, '', '');
    const item = this.message;
    item.text += delta;
    this.event('response.output_text.delta', `"item_id":"${item.id}","output_index":${item.outputIndex},"content_index":0,"delta":${JSON.stringify(delta)},"logprobs":[]`);
  }

  private toolCall(call: JsonObject): void {
    const position = typeof call.index === 'number' ? call.index : 0;
    const fn = isJsonObject(call.function) ? call.function : {};
    let item = this.calls[position];
    if (item === undefined) {
      this.closeMessage();
      const callId = typeof call.id === 'string' ? call.id : `call_${this.suffix}_${position}`;
      item = this.openItem(true, `fc_${callId}`, callId, typeof fn.name === 'string' ? fn.name : '');
      this.calls[position] = item;
    }
    const args = fn.arguments;
    if (typeof args === 'string' && args !== '') {
      item.text += args;
      this.event('response.function_call_arguments.delta', `"item_id":${JSON.stringify(item.id)},"output_index":${item.outputIndex},"delta":${JSON.stringify(args)}`);
    }
  }

  private closeMessage(): void {
    const item = this.message;
    if (item === null) return;
    this.message = null;
    const text = JSON.stringify(item.text);
    const at = `"item_id":"${item.id}","output_index":${item.outputIndex},"content_index":0`;
    this.event('response.output_text.done', `${at},"text":${text},"logprobs":[]`);
    this.event('response.content_part.done', `${at},"part":${JSON.stringify(textPart(item.text))}`);
    this.event('response.output_item.done', `"output_index":${item.outputIndex},"item":${JSON.stringify(this.finalItem(item))}`);
  }

  private finalItem(item: StreamItem): JsonObject {
    return item.isCall ? functionCallItem(item.callId, item.name, item.text, 'completed') : messageItem(item.id, item.text, 'completed');
  }

  protected close(): void {
    this.closeMessage();
    for (const item of this.calls) {
      if (item === undefined) continue;
      this.event('response.function_call_arguments.done', `"item_id":${JSON.stringify(item.id)},"output_index":${item.outputIndex},"arguments":${JSON.stringify(item.text)}`);
      this.event('response.output_item.done', `"output_index":${item.outputIndex},"item":${JSON.stringify(this.finalItem(item))}`);
    }
    const status = this.finishReason === 'length' ? 'incomplete' : 'completed';
    const output = this.items.map(this.finalItem, this);
    const response = responseObject(this.responseId, this.createdAt, this.echo, status, output, responseUsage(this.usageJson));
    this.event(status === 'incomplete' ? 'response.incomplete' : 'response.completed', `"response":${JSON.stringify(response)}`);
  }
}
