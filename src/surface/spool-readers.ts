// The two bodies an upload attempt can read: the live one fed by the client as bytes arrive, and a replay of the
// spool file (with another model name spliced in) for a retry. Both hold at most one 64 KB chunk in flight.
import { read } from 'node:fs';
import { Readable } from 'node:stream';

const CHUNK_BYTES = 64 * 1024;

/** Fed by UploadSpool; asks for the next client chunk when it drains, and when it is destroyed (attempt over). */
export class LiveUpload extends Readable {
  private readonly wantMore: () => void;

  constructor(wantMore: () => void) {
    super({ highWaterMark: CHUNK_BYTES });
    this.wantMore = wantMore;
  }

  override _read(): void {
    this.wantMore();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.wantMore();
    callback(error);
  }
}

/** A byte range of the spool file, or literal bytes (the model value) when `bytes` is set. */
export interface Segment {
  readonly from: number;
  readonly to: number;
  readonly bytes: Buffer | null;
}

export class SpoolReplay extends Readable {
  private readonly fd: number;
  private readonly segments: readonly Segment[];
  private readonly onDone: () => void;
  private index = 0;
  private position: number;
  private reading = false;
  private done = false;

  constructor(fd: number, segments: readonly Segment[], onDone: () => void) {
    super({ highWaterMark: CHUNK_BYTES });
    this.fd = fd;
    this.segments = segments;
    this.onDone = onDone;
    this.position = segments[0]?.from ?? 0;
  }

  override _read(): void {
    if (this.reading) return;
    const segment = this.segments[this.index];
    if (segment === undefined) {
      this.push(null);
      return;
    }
    if (segment.bytes !== null) {
      this.next();
      this.push(segment.bytes);
      return;
    }
    const length = Math.min(CHUNK_BYTES, segment.to - this.position);
    if (length <= 0) {
      this.next();
      this._read();
      return;
    }
    this.reading = true;
    read(this.fd, Buffer.allocUnsafe(length), 0, length, this.position, (error, bytesRead, buffer) => {
      this.reading = false;
      if (this.destroyed) return this.finish();
      if (error !== null) return void this.destroy(error);
      if (bytesRead === 0) return void this.destroy(new Error('upload spool file ended early'));
      this.position += bytesRead;
      if (this.position >= segment.to) this.next();
      this.push(bytesRead === length ? buffer : buffer.subarray(0, bytesRead));
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.reading) this.finish();
    callback(error);
  }

  private next(): void {
    this.index++;
    this.position = this.segments[this.index]?.from ?? 0;
  }

  /** Tells the spool this reader no longer uses the descriptor (once, after any read in flight returned). */
  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.onDone();
  }
}
