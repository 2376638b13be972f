// One small upstream call with a buffered body over the shared pools' `dispatch` (the pools carry no `request` API).
import type { Dispatcher } from 'undici';

export interface BufferedResponse {
  status: number;
  body: Buffer;
}

/** Bodies above this are refused: an embedding answer is a few tens of KB. */
const MAX_BYTES = 8 * 1024 * 1024;

class BufferedCall implements Dispatcher.DispatchHandler {
  private status = 0;
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private readonly resolve: (response: BufferedResponse) => void;
  private readonly reject: (error: Error) => void;

  constructor(resolve: (response: BufferedResponse) => void, reject: (error: Error) => void) {
    this.resolve = resolve;
    this.reject = reject;
  }

  /** Present so undici treats this as a new-style (controller) handler. */
  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.bytes > MAX_BYTES) controller.abort(new Error('embedding response too large'));
    else this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.resolve({ status: this.status, body: Buffer.concat(this.chunks, this.bytes) });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.reject(error);
  }
}

export function bufferedCall(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): Promise<BufferedResponse> {
  return new Promise((resolve, reject) => {
    dispatcher.dispatch(options, new BufferedCall(resolve, reject));
  });
}
