// Writes OpenAI `chat.completion.chunk` SSE events by string concatenation around a prefix built once per stream.
import type { TranslationContext } from './provider-contract.js';
import { newChatId, openAIUsage, type FinishReason } from './openai-shapes.js';
import type { Usage } from './usage.js';

const DELTA_TAIL = ',"finish_reason":null}]}\n\n';
export const SSE_DONE = 'data: [DONE]\n\n';

export class ChatChunkWriter {
  private readonly ctx: TranslationContext;
  private head = '';
  private prefix = '';
  private started = false;

  constructor(ctx: TranslationContext) {
    this.ctx = ctx;
  }

  /** Sets id and model (from the provider's first event) and returns the role chunk, once. */
  start(id: string | null, model: string | null): string {
    if (this.started) return '';
    this.started = true;
    this.head = `data: {"id":${JSON.stringify(id ?? newChatId())},"object":"chat.completion.chunk","created":${this.ctx.created},"model":${JSON.stringify(model ?? this.ctx.model)}`;
    this.prefix = `${this.head},"choices":[{"index":0,"delta":`;
    return `${this.prefix}{"role":"assistant","content":""}${DELTA_TAIL}`;
  }

  get isStarted(): boolean {
    return this.started;
  }

  text(text: string): string {
    if (text === '') return '';
    return `${this.start(null, null)}${this.prefix}{"content":${JSON.stringify(text)}}${DELTA_TAIL}`;
  }

  reasoning(text: string): string {
    if (text === '') return '';
    return `${this.start(null, null)}${this.prefix}{"reasoning_content":${JSON.stringify(text)}}${DELTA_TAIL}`;
  }

  toolStart(index: number, id: string, name: string, args = ''): string {
    const call = `{"index":${index},"id":${JSON.stringify(id)},"type":"function","function":{"name":${JSON.stringify(name)},"arguments":${JSON.stringify(args)}}}`;
    return `${this.start(null, null)}${this.prefix}{"tool_calls":[${call}]}${DELTA_TAIL}`;
  }

  toolArgs(index: number, args: string): string {
    if (args === '') return '';
    return `${this.start(null, null)}${this.prefix}{"tool_calls":[{"index":${index},"function":{"arguments":${JSON.stringify(args)}}}]}${DELTA_TAIL}`;
  }

  finish(reason: FinishReason): string {
    return `${this.start(null, null)}${this.prefix}{},"finish_reason":"${reason}"}]}\n\n`;
  }

  /** The stream's last events: the usage chunk when the client asked for it, then `[DONE]`. */
  close(usage: Usage | null): string {
    const start = this.start(null, null);
    if (!this.ctx.includeUsage || usage === null) return start + SSE_DONE;
    return `${start}${this.head},"choices":[],"usage":${JSON.stringify(openAIUsage(usage))}}\n\n${SSE_DONE}`;
  }
}
