// Incremental Server-Sent Events parser: bytes in as they arrive (split anywhere, even inside a UTF-8 character), events out.
import { StringDecoder } from 'node:string_decoder';

/** Receives each complete event; `event` is '' when the event had no `event:` field. */
export interface SseSink {
  onEvent(event: string, data: string): void;
}

export class SseDecoder {
  private readonly sink: SseSink;
  private readonly text = new StringDecoder('utf8');
  /** Text after the last line break seen. */
  private pending = '';
  private event = '';
  private data = '';
  private hasData = false;

  constructor(sink: SseSink) {
    this.sink = sink;
  }

  push(chunk: Buffer): void {
    const text = this.pending + this.text.write(chunk);
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      this.line(text.slice(start, end));
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.pending = start === 0 ? text : text.slice(start);
  }

  /**
   * The upstream ended. As the SSE spec says, an event not closed by a blank line is discarded: a stream cut
   * mid-event then lacks its terminal event, which the translator reports.
   */
  finish(): void {
    this.text.end();
    this.pending = '';
    this.event = '';
    this.data = '';
    this.hasData = false;
  }

  private line(line: string): void {
    if (line === '') {
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
    const colon = line.indexOf(':');
    if (colon === 0) return; // comment
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') {
      this.data = this.hasData ? `${this.data}\n${value}` : value;
      this.hasData = true;
    } else if (field === 'event') this.event = value;
  }
}
