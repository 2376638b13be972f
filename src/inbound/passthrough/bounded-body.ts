// Caps a chunked pass-through upload (no content-length to check up front) at max_request_size_mb while it streams.
import { Transform, type TransformCallback } from 'node:stream';
import { GatewayError } from '../../core/errors.js';

export function tooLargeError(limitBytes: number): GatewayError {
  const megabytes = limitBytes / (1024 * 1024);
  return new GatewayError({ reason: 'payload_too_large', status: 413, message: `Request body is larger than the maximum allowed size of ${megabytes} MB (general_settings.max_request_size_mb).` });
}

export class BoundedBody extends Transform {
  private readonly limit: number;
  private seen = 0;

  constructor(limit: number) {
    super();
    this.limit = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) return callback(tooLargeError(this.limit));
    callback(null, chunk);
  }
}
