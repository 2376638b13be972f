// Reads the mock's streamed wire formats back (SSE, NDJSON, AWS event-stream), for tests and benchmarks.
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

export interface SseEvent {
  event: string | undefined;
  data: string;
}

const BLANK_LINE = /\r?\n\r?\n/;
const LINE = /\r?\n/;

/** Splits an SSE body into events; multi-line data is joined with '\n' as the SSE spec says. */
export function parseSse(text: string): SseEvent[] {
  const out: SseEvent[] = [];
  for (const block of text.split(BLANK_LINE)) {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(LINE)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    }
    if (data.length > 0 || event !== undefined) out.push({ event, data: data.join('\n') });
  }
  return out;
}

export function parseNdjson(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as unknown);
}

export interface EventStreamMessage {
  headers: Record<string, string>;
  body: unknown;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Decodes consecutive AWS event-stream frames (each starts with its 4-byte big-endian total length). */
export function decodeEventStream(bytes: Uint8Array): EventStreamMessage[] {
  const out: EventStreamMessage[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    const length = view.getUint32(offset);
    const message = codec.decode(bytes.subarray(offset, offset + length));
    const headers: Record<string, string> = {};
    for (const [name, header] of Object.entries(message.headers)) headers[name] = String(header.value);
    const text = toUtf8(message.body);
    out.push({ headers, body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined });
    offset += length;
  }
  return out;
}
