// A bounded queue in front of one callback: outcomes wait here and leave in batches, so a slow sink only drops, never blocks.
import type { RequestOutcome } from '../dataplane/request-outcome.js';
import { logger } from '../logging/logger.js';
import type { CallbackCounters, LoggedEvent, LoggingCallback } from './callback.js';
import { EVENTS_PER_TURN, yieldTurn } from './event-slices.js';
import { buildStandardLoggingPayload } from './standard-logging-payload.js';

const DEFAULT_BATCH = 100;
const DEFAULT_INTERVAL_MS = 1_000;
export const DEFAULT_QUEUE_CAPACITY = 10_000;

export type QueueCounters = CallbackCounters;

export class CallbackQueue {
  readonly callback: LoggingCallback;
  private readonly counters: QueueCounters;
  private readonly logMessages: boolean;
  private readonly capacity: number;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  /** Outcomes, or their encoded text when the callback encodes at push time (`preEncoded`). */
  private buffer: Array<RequestOutcome | string> = [];
  private readonly preEncoded: boolean;
  private sending: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(callback: LoggingCallback, counters: QueueCounters, logMessages: boolean, capacity = DEFAULT_QUEUE_CAPACITY) {
    this.callback = callback;
    this.counters = counters;
    this.logMessages = logMessages;
    this.capacity = capacity;
    this.batchSize = callback.maxBatchSize ?? DEFAULT_BATCH;
    this.intervalMs = callback.flushIntervalMs ?? DEFAULT_INTERVAL_MS;
    this.preEncoded = callback.encodeEvent !== undefined && callback.sendEncoded !== undefined;
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** O(1) on the request's tick: append, or count a drop when full. */
  push(outcome: RequestOutcome): void {
    if (this.closed || this.buffer.length >= this.capacity) {
      this.counters.dropped.inc();
      return;
    }
    if (this.preEncoded) {
      // Built and encoded now (a few µs after the response went out), so only the text waits for the batch.
      let text: string | null;
      try {
        text = this.callback.encodeEvent!({ outcome, payload: buildStandardLoggingPayload(outcome, this.logMessages) });
      } catch (error) {
        this.counters.failed.inc();
        this.counters.dropped.inc();
        logger.warn({ callback: this.callback.name, err: (error as Error).message }, 'logging callback could not encode an event; dropped');
        return;
      }
      if (text === null) return;
      this.buffer.push(text);
    } else {
      this.buffer.push(outcome);
    }
    if (this.sending !== null) return;
    if (this.buffer.length >= this.batchSize) this.schedule(0);
    else if (this.timer === null) this.schedule(this.intervalMs);
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.startSend();
    }, delayMs);
    this.timer.unref();
  }

  private startSend(): void {
    if (this.sending !== null || this.buffer.length === 0) return;
    const batch = this.buffer.length <= this.batchSize ? this.buffer : this.buffer.slice(0, this.batchSize);
    this.buffer = batch === this.buffer ? [] : this.buffer.slice(this.batchSize);
    this.sending = this.send(batch).finally(() => {
      this.sending = null;
      if (this.buffer.length >= this.batchSize) this.schedule(0);
      else if (this.buffer.length > 0) this.schedule(this.intervalMs);
    });
  }

  private async send(batch: Array<RequestOutcome | string>): Promise<void> {
    try {
      if (this.preEncoded) await this.callback.sendEncoded!(batch as string[]);
      else await this.callback.send(await buildEvents(batch as RequestOutcome[], this.logMessages));
    } catch (error) {
      this.counters.failed.inc();
      this.counters.dropped.inc(batch.length);
      logger.warn({ callback: this.callback.name, events: batch.length, err: (error as Error).message }, 'logging callback failed; batch dropped');
    }
  }

  /** Sends what is queued, then closes the callback, within `timeoutMs` in all. */
  async drain(timeoutMs: number): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const deadline = Date.now() + timeoutMs;
    while ((this.buffer.length > 0 || this.sending !== null) && Date.now() < deadline) {
      if (this.sending === null) this.startSend();
      const remaining = deadline - Date.now();
      await Promise.race([this.sending, new Promise((resolve) => setTimeout(resolve, remaining).unref())]);
    }
    if (this.buffer.length > 0) this.counters.dropped.inc(this.buffer.length);
    this.buffer = [];
    if (this.callback.close === undefined) return;
    const remaining = Math.max(0, deadline - Date.now());
    // The callback bounds its own close; the race only guards against one that does not.
    await Promise.race([this.callback.close(remaining), new Promise((resolve) => setTimeout(resolve, remaining + 100).unref())]);
  }
}

/** The batch's payloads, EVENTS_PER_TURN per event-loop turn: requests in flight get the loop between slices. */
async function buildEvents(batch: readonly RequestOutcome[], logMessages: boolean): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for (let index = 0; index < batch.length; index++) {
    if (index > 0 && index % EVENTS_PER_TURN === 0) await yieldTurn();
    const outcome = batch[index]!;
    events.push({ outcome, payload: buildStandardLoggingPayload(outcome, logMessages) });
  }
  return events;
}
