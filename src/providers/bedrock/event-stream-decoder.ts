// Incremental AWS event-stream framing: frames may split across (or share) chunks; each whole frame is decoded once.
import type { EventStreamCodec } from '@smithy/eventstream-codec';
import { eventStreamCodec, utf8 } from '../../core/optional-modules.js';
import { badProviderOutput } from '../../core/upstream-error.js';

/** Buffer's UTF-8 decoding is several times faster than TextDecoder for the short header strings of each frame. */
function bytesToText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

let sharedCodec: EventStreamCodec | null = null;

/** Created on the first Bedrock stream (see optional-modules.ts). */
function codec(): EventStreamCodec {
  return (sharedCodec ??= new (eventStreamCodec().EventStreamCodec)(bytesToText, utf8().fromUtf8));
}
/** Prelude (12) + message CRC (4): the smallest legal frame. */
const MIN_FRAME = 16;
const MAX_FRAME = 16 * 1024 * 1024;

export interface FrameSink {
  /** `messageType` is `event` or `exception`; `eventType` is `:event-type` or `:exception-type`. */
  onFrame(messageType: string, eventType: string, payload: string): void;
}

function headerString(headers: Record<string, { value: unknown }>, name: string): string {
  const value = headers[name]?.value;
  return typeof value === 'string' ? value : '';
}

export class EventStreamDecoder {
  private readonly sink: FrameSink;
  private pending: Buffer | null = null;

  constructor(sink: FrameSink) {
    this.sink = sink;
  }

  push(chunk: Buffer): void {
    let buffer = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    while (buffer.length >= 4) {
      const length = buffer.readUInt32BE(0);
      if (length < MIN_FRAME || length > MAX_FRAME) throw badProviderOutput('bedrock', `bad event-stream frame length ${length}`);
      if (buffer.length < length) break;
      this.decodeFrame(buffer.subarray(0, length));
      buffer = buffer.subarray(length);
    }
    this.pending = buffer.length === 0 ? null : Buffer.from(buffer);
  }

  /** True when the stream stopped inside a frame. */
  get hasPartialFrame(): boolean {
    return this.pending !== null;
  }

  private decodeFrame(frame: Buffer): void {
    let message;
    try {
      message = codec().decode(frame);
    } catch (error) {
      throw badProviderOutput('bedrock', `corrupt event-stream frame (${(error as Error).message})`);
    }
    const headers = message.headers as Record<string, { value: unknown }>;
    const messageType = headerString(headers, ':message-type');
    const eventType = messageType === 'event' ? headerString(headers, ':event-type') : headerString(headers, ':exception-type') || headerString(headers, ':error-code');
    this.sink.onFrame(messageType, eventType, bytesToText(message.body));
  }
}
