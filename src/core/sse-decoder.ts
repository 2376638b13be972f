// Incremental Server-Sent Events parser: bytes in as they arrive (split anywhere, even inside a UTF-8 character), events out.
import { StringDecoder } from 'node:string_decoder';

/** Receives each complete event; `event` is '' when the event had no `event:` field. */
export interface SseSink {
  onEvent(event: string, data: string): void;
}

export interface SseDecoderOptions {
  /**
   * At `finish`, deliver an event the stream did not close with a blank line. Off by default, as the SSE spec says
   * (a provider stream cut mid-event then lacks its terminal event, which its translator reports); the inbound
   * rewriters turn it on because some OpenAI-compatible servers end with `data: [DONE]` and no blank line.
   */
  keepUnterminatedEvent?: boolean;
}

const COLON = 58;
const SPACE = 32;
const CR = 13;

export class SseDecoder {
  private readonly sink: SseSink;
  private readonly keepUnterminated: boolean;
  private readonly text = new StringDecoder('utf8');
  /** Text after the last line break seen. */
  private pending = '';
  private event = '';
  private data = '';
  private hasData = false;

  constructor(sink: SseSink, options: SseDecoderOptions = {}) {
    this.sink = sink;
    this.keepUnterminated = options.keepUnterminatedEvent === true;
  }

  push(chunk: Buffer | string): void {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.text.write(chunk));
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const end = newline > start && text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
      this.line(text, start, end);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.pending = start === 0 ? text : text.slice(start);
  }

  /** The upstream ended: drops (or, with `keepUnterminatedEvent`, delivers) an event left open. */
  finish(): void {
    const rest = this.pending + this.text.end();
    this.pending = '';
    if (this.keepUnterminated) {
      if (rest !== '') this.line(rest, 0, rest.endsWith('\r') ? rest.length - 1 : rest.length);
      this.line('', 0, 0);
    }
    this.event = '';
    this.data = '';
    this.hasData = false;
  }

  /** One line, `text[start, end)`: read in place, so lines that are not `data:` or `event:` cost no copy. */
  private line(text: string, start: number, end: number): void {
    if (start === end) {
      if (this.hasData) {
        const event = this.event;
        const data = this.data;
        this.event = '';
        this.data = '';
        this.hasData = false;
        this.sink.onEvent(event, data);
      } else this.event = '';
      return;
    }
    if (text.charCodeAt(start) === COLON) return; // comment
    if (text.startsWith('data', start)) {
      const value = this.valueOf(text, start + 4, end);
      if (value === null) return;
      this.data = this.hasData ? `${this.data}\n${value}` : value;
      this.hasData = true;
    } else if (text.startsWith('event', start)) {
      const value = this.valueOf(text, start + 5, end);
      if (value !== null) this.event = value;
    }
  }

  /** The field's value after `name` ends at `at`: '' for a bare field name, null when the name only had that prefix. */
  private valueOf(text: string, at: number, end: number): string | null {
    if (at === end) return '';
    if (text.charCodeAt(at) !== COLON) return null;
    const valueStart = text.charCodeAt(at + 1) === SPACE ? at + 2 : at + 1;
    return text.slice(valueStart, end);
  }
}
