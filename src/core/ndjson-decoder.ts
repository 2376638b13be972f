// Incremental newline-delimited JSON splitter (Ollama's streams): bytes in, one text line per JSON value out.
import { StringDecoder } from 'node:string_decoder';

export interface LineSink {
  onLine(line: string): void;
}

export class NdjsonDecoder {
  private readonly sink: LineSink;
  private readonly text = new StringDecoder('utf8');
  private pending = '';

  constructor(sink: LineSink) {
    this.sink = sink;
  }

  push(chunk: Buffer): void {
    const text = this.pending + this.text.write(chunk);
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const line = text.slice(start, newline).trim();
      if (line !== '') this.sink.onLine(line);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.pending = start === 0 ? text : text.slice(start);
  }

  finish(): void {
    const rest = (this.pending + this.text.end()).trim();
    this.pending = '';
    if (rest !== '') this.sink.onLine(rest);
  }
}
