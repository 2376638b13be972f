// A multipart upload on its way to the provider, never held whole in memory. The first attempt reads it live as it
// arrives (only the bytes up to the `model` field are held, to rewrite that one value per deployment). When the call
// may be retried, every byte is also written to an unlinked temporary file, so a retry or fallback replays the upload
// from disk, with its own deployment's model name, once the client has sent all of it.
import { close, open, unlink, write } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { GatewayError, invalidRequest } from '../core/errors.js';
import { logger } from '../logging/logger.js';
import { MultipartHead } from './multipart-head.js';
import { LiveUpload, SpoolReplay, type Segment } from './spool-readers.js';

/** Told what happens to the upload: the model field was read, or the upload failed while no attempt was reading it. */
export interface UploadHandler {
  /** Starts the call (its first attempt may open the live body at once); false when the call already failed. */
  onModelField(model: string): boolean;
  onUploadError(error: GatewayError): void;
}

export interface UploadOptions {
  /** The multipart boundary when the route has a `model` field to find and rewrite; null for file uploads. */
  boundary: string | null;
  handler: UploadHandler;
  /** Most bytes held while looking for `model`. */
  lookahead: number;
  sizeLimit: number;
  /** The client's content-length, -1 when it sent none (chunked). */
  declaredLength: number;
  /** Write the upload to disk too, so another attempt can replay it. */
  spool: boolean;
  /** The rest of the client's body will not be read: its connection must close after the answer (called before it). */
  onStopReading(): void;
}

/** An attempt's body: a stream and its exact length (-1 unknown: sent chunked). */
export type AttemptBodyStart = (body: Readable, length: number) => void;

export function uploadTooLarge(limit: number): GatewayError {
  const megabytes = Math.round((limit / (1024 * 1024)) * 100) / 100;
  return new GatewayError({ reason: 'payload_too_large', status: 413, message: `Request body is larger than the maximum allowed size of ${megabytes} MB (general_settings.max_request_size_mb).` });
}

const EMPTY = Buffer.alloc(0);

type State = 'scanning' | 'passing' | 'discarding';

export class UploadSpool extends Writable {
  private readonly options: UploadOptions;
  private head: MultipartHead | null;
  private state: State;
  /** Raw bytes received from the client so far. */
  private received = 0;
  /** Raw offsets of the `model` value (replaced per attempt); null when the route has none. */
  private span: [number, number] | null = null;
  /** Bytes a live first attempt must start with; null once the chance for a live attempt has passed. */
  private liveFrom: Buffer | null;
  private live: LiveUpload | null = null;
  /** The write waiting for the live attempt to drain. */
  private waiting: (() => void) | null = null;
  /** The spool file (already unlinked); null when not spooling or it could not be opened. */
  private fd: number | null = null;
  /** Every byte has arrived and is on disk. */
  private complete = false;
  private readonly completeWaiters: Array<() => void> = [];
  private readers = 0;
  private letGo = false;

  constructor(options: UploadOptions) {
    // Not destroyed when the client's body ends: retries read the spool file until the call lets it go (destroy()).
    super({ highWaterMark: 64 * 1024, autoDestroy: false });
    this.options = options;
    this.head = options.boundary === null ? null : new MultipartHead(options.boundary);
    this.state = this.head === null ? 'passing' : 'scanning';
    this.liveFrom = this.head === null ? EMPTY : null;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    if (!this.options.spool) return callback();
    const path = join(tmpdir(), `sluice-upload-${randomUUID()}`);
    open(path, 'wx+', 0o600, (error, fd) => {
      if (error !== null) {
        logger.warn({ err: error }, 'upload spool file not opened; this upload cannot be retried');
        return callback();
      }
      this.fd = fd;
      // Unlinked at once: the open descriptor keeps the data, and nothing is left behind if the process dies.
      unlink(path, () => callback());
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.received += chunk.length;
    if (this.state === 'discarding') return callback();
    if (this.received > this.options.sizeLimit) return this.fail(uploadTooLarge(this.options.sizeLimit), callback);
    if (this.state === 'scanning') return this.scan(chunk, callback);
    // No attempt took the live body before bytes went by: later attempts replay from disk.
    if (this.live === null) this.liveFrom = null;
    this.toDisk(chunk, () => this.toLive(chunk, callback));
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.state === 'scanning') return this.fail(invalidRequest('Missing required multipart field: model.', 'model'), callback);
    if (this.state === 'discarding') return callback();
    this.complete = true;
    if (this.live !== null && !this.live.destroyed) this.live.push(null);
    this.live = null;
    this.liveFrom = null;
    for (const start of this.completeWaiters.splice(0)) start();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.letGo = true;
    this.completeWaiters.length = 0;
    this.head = null;
    this.liveFrom = null;
    if (this.live !== null && !this.live.destroyed) this.live.destroy(error ?? undefined);
    this.release();
    this.closeFile();
    callback(error);
  }

  /**
   * The call is over: the spool file goes. A client still sending has the rest of its body read and dropped, so its
   * keep-alive connection can carry its next request (a body cut off half way would leave the connection stuck).
   */
  discard(): void {
    if (this.destroyed) return;
    if (this.writableFinished || this.errored !== null) return void this.destroy();
    this.state = 'discarding';
    this.letGo = true;
    this.head = null;
    this.liveFrom = null;
    this.completeWaiters.length = 0;
    if (this.live !== null && !this.live.destroyed) this.live.destroy();
    this.live = null;
    this.release();
    this.closeFile();
    this.once('finish', () => this.destroy());
  }

  /**
   * Gives one attempt its body with `model` as the model value: live when nothing has gone by yet, otherwise a replay
   * from disk once the upload is complete (`start` is called then). False when the upload can no longer be sent.
   */
  open(model: string | null, start: AttemptBodyStart): boolean {
    if (this.letGo || this.state === 'discarding') return false;
    const liveFrom = this.liveFrom;
    if (liveFrom !== null) {
      this.liveFrom = null;
      this.live = new LiveUpload(this.release);
      this.live.push(this.rewrite(liveFrom, model));
      const declared = this.options.declaredLength;
      start(this.live, declared < 0 ? -1 : declared + this.delta(model));
      return true;
    }
    if (this.fd === null) return false;
    const replay = (): void => start(this.replay(model), this.received + this.delta(model));
    if (this.complete) replay();
    else this.completeWaiters.push(replay);
    return true;
  }

  private scan(chunk: Buffer, callback: (error?: Error | null) => void): void {
    const head = this.head!;
    head.append(chunk);
    const scan = head.scan();
    if (scan.kind === 'need-more') {
      if (head.length > this.options.lookahead) {
        const megabytes = Math.floor(this.options.lookahead / (1024 * 1024));
        return this.fail(invalidRequest(`The multipart field "model" was not found in the first ${megabytes} MB of the upload; send it before the file.`, 'model'), callback);
      }
      return this.toDisk(chunk, callback);
    }
    if (scan.kind !== 'found') return this.fail(invalidRequest(scan.kind === 'malformed' ? scan.message : 'Missing required multipart field: model.', 'model'), callback);
    this.span = [scan.valueStart, scan.valueEnd];
    this.state = 'passing';
    this.liveFrom = head.bytes();
    this.head = null;
    if (!this.options.handler.onModelField(scan.model)) {
      this.state = 'discarding';
      this.liveFrom = null;
      return callback();
    }
    // The held bytes went to the live attempt (if one started); only the disk still needs this chunk.
    this.liveFrom = null;
    this.toDisk(chunk, callback);
  }

  private toDisk(chunk: Buffer, next: () => void): void {
    const fd = this.fd;
    if (fd === null) return next();
    write(fd, chunk, 0, chunk.length, null, (error) => {
      if (error === null) return next();
      logger.warn({ err: error }, 'upload spool write failed; this upload cannot be retried');
      this.closeFile();
      next();
    });
  }

  private toLive(chunk: Buffer, callback: () => void): void {
    const live = this.live;
    if (live === null || live.destroyed || live.push(chunk)) return callback();
    this.waiting = callback;
  }

  /** The live attempt wants more (or went away): let the next client chunk in. */
  private readonly release = (): void => {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  };

  /** Before an attempt reads it, the error is the call's answer; after, it fails that attempt (which answers it). */
  private fail(error: GatewayError, callback: (error?: Error | null) => void): void {
    const scanning = this.state === 'scanning';
    this.state = 'discarding';
    this.head = null;
    this.liveFrom = null;
    this.completeWaiters.length = 0;
    if (!scanning) this.options.onStopReading();
    const live = this.live;
    if (live !== null && !live.destroyed) live.destroy(error);
    else this.options.handler.onUploadError(error);
    // A body refused while scanning is read to its end (the client gets the answer); a failed stream stops reading.
    callback(scanning ? null : error);
  }

  /** Bytes added by writing `model` in place of the client's value. */
  private delta(model: string | null): number {
    const span = this.span;
    return span === null || model === null ? 0 : Buffer.byteLength(model) - (span[1] - span[0]);
  }

  private rewrite(bytes: Buffer, model: string | null): Buffer {
    const span = this.span;
    if (span === null || model === null) return bytes;
    return Buffer.concat([bytes.subarray(0, span[0]), Buffer.from(model, 'utf8'), bytes.subarray(span[1])]);
  }

  private replay(model: string | null): Readable {
    const span = this.span;
    const segments: Segment[] = span === null || model === null
      ? [{ from: 0, to: this.received, bytes: null }]
      : [{ from: 0, to: span[0], bytes: null }, { from: 0, to: 0, bytes: Buffer.from(model, 'utf8') }, { from: span[1], to: this.received, bytes: null }];
    this.readers++;
    return new SpoolReplay(this.fd!, segments, () => {
      this.readers--;
      if (this.letGo) this.closeFile();
    });
  }

  /** Closed once no replay is reading, so a read in flight never sees the descriptor reused. */
  private closeFile(): void {
    const fd = this.fd;
    if (fd === null || this.readers > 0) return;
    this.fd = null;
    close(fd, () => undefined);
  }
}
