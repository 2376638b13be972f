// Routes each finished request to the success or failure callbacks' queues (LiteLLM's success_callback/failure_callback/callbacks).
import type { RequestObserver, RequestOutcome } from '../dataplane/request-outcome.js';
import type { CallbackQueue } from './callback-queue.js';

export class CallbackObserver implements RequestObserver {
  private readonly onSuccess: readonly CallbackQueue[];
  private readonly onFailure: readonly CallbackQueue[];

  constructor(onSuccess: readonly CallbackQueue[], onFailure: readonly CallbackQueue[]) {
    this.onSuccess = onSuccess;
    this.onFailure = onFailure;
  }

  onRequestFinished(outcome: RequestOutcome): void {
    const failed = outcome.error !== null || outcome.status >= 400 || outcome.status === 0;
    const queues = failed ? this.onFailure : this.onSuccess;
    for (let index = 0; index < queues.length; index++) queues[index]!.push(outcome);
  }

  async drain(timeoutMs: number): Promise<void> {
    const all = new Set([...this.onSuccess, ...this.onFailure]);
    await Promise.all([...all].map((queue) => queue.drain(timeoutMs)));
  }
}
