// Incremental reader of an OpenAI-style SSE stream: bytes in as they arrive (split anywhere), each `data:` payload out.
import { StringDecoder } from 'node:string_decoder';

/** Receives each complete event's data; `[DONE]` is passed through as-is. */
export interface SseDataSink {
  onData(data: string): void;
}

/** Only `data:` lines matter to OpenAI's chat stream; `event:`, `id:` and comments are skipped. */
export class SseDataReader {
  private readonly sink: SseDataSink;
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private data = '';
  private hasData = false;

  constructor(sink: SseDataSink) {
    this.sink = sink;
  }

  push(chunk: Buffer | string): void {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      this.line(text, start, end);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.pending = start === 0 ? text : text.slice(start);
  }

  /** The stream ended: a last event without its blank line still counts. */
  finish(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest !== '') this.line(rest, 0, rest.endsWith('\r') ? rest.length - 1 : rest.length);
    this.line('', 0, 0);
  }

  private line(text: string, start: number, end: number): void {
    if (start === end) {
      if (!this.hasData) return;
      const data = this.data;
      this.data = '';
      this.hasData = false;
      this.sink.onData(data);
      return;
    }
    // `data:` is the only field read; the optional single space after the colon is not part of the value.
    if (text.startsWith('data:', start)) {
      const valueStart = text.charCodeAt(start + 5) === 32 ? start + 6 : start + 5;
      const value = text.slice(valueStart, end);
      this.data = this.hasData ? `${this.data}\n${value}` : value;
      this.hasData = true;
    }
  }
}
