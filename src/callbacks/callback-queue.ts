// A bounded queue in front of one callback: outcomes wait here and leave in batches, so a slow sink only drops, never blocks.
import type { RequestOutcome } from '../dataplane/request-outcome.js';
import { logger } from '../logging/logger.js';
import type { CallbackCounters, LoggedEvent, LoggingCallback } from './callback.js';
import { EncodedBatches, type EncodedBatch } from './encoded-batches.js';
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
  /** Outcomes waiting for a callback that builds its events at send time. */
  private buffer: RequestOutcome[] = [];
  /** The encoded events of a callback that encodes at push time (`encodeEvent`); null for the others. */
  private readonly encoded: EncodedBatches | null;
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
    this.encoded = callback.encodeEvent !== undefined && callback.sendEncoded !== undefined ? new EncodedBatches(this.batchSize) : null;
  }

  get pending(): number {
    return this.encoded === null ? this.buffer.length : this.encoded.pending;
  }

  /** O(1) on the request's tick: append, or count a drop when full. */
  push(outcome: RequestOutcome): void {
    if (this.closed || this.pending >= this.capacity) {
      this.counters.dropped.inc();
      return;
    }
    if (this.encoded !== null) {
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
      this.encoded.push(text);
    } else {
      this.buffer.push(outcome);
    }
    if (this.sending !== null) return;
    if (this.pending >= this.batchSize) this.schedule(0);
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
    if (this.sending !== null || this.pending === 0) return;
    const sent = this.encoded === null ? this.sendOutcomes() : this.sendEncoded(this.encoded);
    this.sending = sent.finally(() => {
      this.sending = null;
      if (this.pending >= this.batchSize) this.schedule(0);
      else if (this.pending > 0) this.schedule(this.intervalMs);
    });
  }

  private async sendOutcomes(): Promise<void> {
    const batch = this.buffer.length <= this.batchSize ? this.buffer : this.buffer.slice(0, this.batchSize);
    this.buffer = batch === this.buffer ? [] : this.buffer.slice(this.batchSize);
    try {
      await this.callback.send(await buildEvents(batch, this.logMessages));
    } catch (error) {
      this.failedBatch(batch.length, error);
    }
  }

  private async sendEncoded(encoded: EncodedBatches): Promise<void> {
    const batch: EncodedBatch = encoded.take()!;
    try {
      await this.callback.sendEncoded!(batch.items());
    } catch (error) {
      this.failedBatch(batch.count, error);
    } finally {
      encoded.release(batch);
    }
  }

  private failedBatch(events: number, error: unknown): void {
    this.counters.failed.inc();
    this.counters.dropped.inc(events);
    logger.warn({ callback: this.callback.name, events, err: (error as Error).message }, 'logging callback failed; batch dropped');
  }

  /** Sends what is queued, then closes the callback, within `timeoutMs` in all. */
  async drain(timeoutMs: number): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const deadline = Date.now() + timeoutMs;
    while ((this.pending > 0 || this.sending !== null) && Date.now() < deadline) {
      if (this.sending === null) this.startSend();
      const remaining = deadline - Date.now();
      await Promise.race([this.sending, new Promise((resolve) => setTimeout(resolve, remaining).unref())]);
    }
    if (this.pending > 0) this.counters.dropped.inc(this.pending);
    this.buffer = [];
    this.encoded?.clear();
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
