// Streams a multipart upload through to the provider, rewriting only the `model` field's value on the way.
// Until `model` is found the bytes are held (bounded by the lookahead); after it every chunk passes unchanged.
import { Transform, type TransformCallback } from 'node:stream';
import { GatewayError, invalidRequest } from '../core/errors.js';
import { MultipartHead } from './multipart-head.js';

/** Told about the model field once it is read; returns the value to send upstream, or null when it already failed the request. */
export interface ModelFieldHandler {
  onModelField(model: string): string | null;
  onModelFieldMissing(error: GatewayError): void;
}

export function uploadTooLarge(limit: number): GatewayError {
  const megabytes = Math.round((limit / (1024 * 1024)) * 100) / 100;
  return new GatewayError({ reason: 'payload_too_large', status: 413, message: `Request body is larger than the maximum allowed size of ${megabytes} MB (general_settings.max_request_size_mb).` });
}

type State = 'scanning' | 'passing' | 'discarding';

export class MultipartRewriteStream extends Transform {
  private head: MultipartHead | null;
  private readonly handler: ModelFieldHandler | null;
  private readonly lookahead: number;
  private readonly sizeLimit: number;
  private state: State;
  private total = 0;
  /** Bytes added or removed by the rewrite, for the upstream content-length. */
  delta = 0;

  /** With a null boundary or handler the stream only counts bytes against the size limit. */
  constructor(boundary: string | null, handler: ModelFieldHandler | null, lookahead: number, sizeLimit: number) {
    super({ highWaterMark: 64 * 1024 });
    this.handler = handler;
    this.head = boundary !== null && handler !== null ? new MultipartHead(boundary) : null;
    this.state = this.head === null ? 'passing' : 'scanning';
    this.lookahead = lookahead;
    this.sizeLimit = sizeLimit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.total += chunk.length;
    if (this.state === 'discarding') return callback();
    if (this.total > this.sizeLimit) return this.fail(uploadTooLarge(this.sizeLimit), callback);
    if (this.state === 'passing') return callback(null, chunk);
    const head = this.head!;
    head.append(chunk);
    const scan = head.scan();
    if (scan.kind === 'need-more') {
      if (head.length > this.lookahead) return this.fail(invalidRequest(`The multipart field "model" was not found in the first ${Math.floor(this.lookahead / (1024 * 1024))} MB of the upload; send it before the file.`, 'model'), callback);
      return callback();
    }
    if (scan.kind !== 'found') {
      const message = scan.kind === 'malformed' ? scan.message : 'Missing required multipart field: model.';
      return this.fail(invalidRequest(message, 'model'), callback);
    }
    const replacement = this.handler!.onModelField(scan.model);
    if (replacement === null) {
      this.state = 'discarding';
      this.head = null;
      return callback();
    }
    const bytes = head.bytes();
    const value = Buffer.from(replacement, 'utf8');
    this.delta = value.length - (scan.valueEnd - scan.valueStart);
    this.head = null;
    this.state = 'passing';
    this.push(bytes.subarray(0, scan.valueStart));
    this.push(value);
    callback(null, bytes.subarray(scan.valueEnd));
  }

  override _flush(callback: TransformCallback): void {
    if (this.state !== 'scanning') return callback();
    this.fail(invalidRequest('Missing required multipart field: model.', 'model'), callback);
  }

  /** Before dispatch the handler answers the client; after it the error aborts the upstream call. */
  private fail(error: GatewayError, callback: TransformCallback): void {
    if (this.state === 'scanning') {
      this.state = 'discarding';
      this.head = null;
      this.handler!.onModelFieldMissing(error);
      return callback();
    }
    this.state = 'discarding';
    callback(error);
  }
}
