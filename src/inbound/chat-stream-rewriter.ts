// What both inbound APIs' answer rewriters share: OpenAI chat JSON or SSE in, the client's own format out. Subclasses
// say how one chat chunk and the end of the answer look in their format; this class reads the stream, checks it and
// collects usage and the finish reason.
import { SseDecoder, type SseSink } from '../core/sse-decoder.js';
import type { GatewayError } from '../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';
import { usageFromOpenAI, type Usage } from '../core/usage.js';
import type { ResponseRewriter } from './inbound-call.js';
import { badUpstreamOutput, parseUpstreamJson, streamedError, truncatedStream } from './upstream-output.js';

export abstract class ChatStreamRewriter implements ResponseRewriter, SseSink {
  /** Some OpenAI-compatible servers end with `data: [DONE]` and no blank line. */
  private readonly reader = new SseDecoder(this, { keepUnterminatedEvent: true });
  /** Text produced by the current `push`/`end`, handed to the exchange and reset. */
  protected out = '';
  protected started = false;
  private finished = false;
  protected finishReason: JsonValue | undefined = undefined;
  /** The chat stream's last `usage` object (sent in the final chunk when requested). */
  protected usageJson: JsonValue | undefined = undefined;
  usage: Usage | null = null;

  /** The whole chat completion → the client's JSON value. */
  protected abstract convertCompletion(completion: JsonValue): JsonValue;
  /** The first chunk arrived (or the answer ended without one): the opening events. */
  protected abstract start(chunk: JsonObject | null): void;
  /** One chunk's first choice, after `start`. */
  protected abstract onChoice(choice: JsonObject): void;
  /** The answer is complete (finish reason and usage known): the closing events. */
  protected abstract close(): void;
  abstract errorFrame(error: GatewayError): string;

  rewriteBody(body: Buffer | string): string {
    const completion = parseUpstreamJson(typeof body === 'string' ? body : body.toString('utf8'));
    const converted = this.convertCompletion(completion);
    this.usage = usageFromOpenAI((completion as JsonObject).usage);
    return JSON.stringify(converted);
  }

  push(chunk: Buffer | string): string {
    this.reader.push(chunk);
    return this.take();
  }

  end(): string {
    this.reader.finish();
    if (!this.finished) this.finish();
    return this.take();
  }

  onEvent(_event: string, data: string): void {
    if (this.finished) return;
    if (data === '[DONE]') {
      this.finish();
      return;
    }
    const chunk = parseUpstreamJson(data);
    const failure = streamedError(chunk);
    if (failure !== null) throw failure;
    if (!isJsonObject(chunk)) throw badUpstreamOutput('a stream event that is not an object');
    if (!this.started) {
      this.started = true;
      this.start(chunk);
    }
    if (chunk.usage !== undefined && chunk.usage !== null) this.usageJson = chunk.usage;
    const choices = chunk.choices;
    if (!Array.isArray(choices) || choices.length === 0) return;
    const choice = choices[0];
    if (isJsonObject(choice)) this.onChoice(choice);
  }

  private take(): string {
    const out = this.out;
    this.out = '';
    return out;
  }

  /** Only a stream that said how it finished is complete; anything else was cut. */
  private finish(): void {
    if (this.finishReason === undefined) throw truncatedStream();
    this.finished = true;
    if (!this.started) {
      this.started = true;
      this.start(null);
    }
    this.usage = usageFromOpenAI(this.usageJson);
    this.close();
  }
}
