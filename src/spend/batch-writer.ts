// The only way spend reaches the database: buffered off the hot path, flushed every `proxy_batch_write_at` seconds
// in one transaction, retried with back-off while the database is away, drained at shutdown.
import { Counter, register } from 'prom-client';
import { logger } from '../logging/logger.js';
import type { Database } from '../store/database.js';
import { SpendBuffer, type ResetTarget, type SpendTarget } from './spend-buffer.js';
import type { SpendEvent } from './spend-event.js';
import { emptyBlock } from './spend-log-block.js';
import { SpendLogQueue } from './spend-log-queue.js';
import { SpendWriteThread } from './spend-write-thread.js';
import { writeSpend } from './write-spend.js';

export interface BatchWriterOptions {
  intervalMs: number;
  writeLogs: boolean;
  /** SpendLogs rows kept while the database is away; increments and daily totals are never dropped. */
  maxQueuedLogs: number;
  /** Called after a batch is committed with the increments and the number of SpendLogs rows it carried. */
  onWritten?: (increments: Readonly<Record<SpendTarget, ReadonlyMap<string, number>>>, logRows: number) => void;
  /** Starts the ids of the change-log rows a flush writes (see stepsOf): this instance's poll skips them. */
  changeIdPrefix?: string;
  /** Told whether the last write succeeded. */
  onDatabaseStatus?: (ok: boolean) => void;
}

const MAX_BACKOFF_MS = 60_000;

/**
 * A flush also starts once this many spend events are waiting, whatever the interval: at 1,000 req/s a 10 s batch
 * is 10,000 rows held in memory and encoded in one go on the event loop (a p99 spike and ~100 MB of RSS in the
 * load benchmark). Small batches keep both bounded; the interval still caps how long a quiet gateway waits.
 */
export const FLUSH_AT_EVENTS = 256;

/**
 * At most this many SpendLogs rows go in one flush (the queue holds them in blocks of this size); the rest follow in
 * the next, right after. Handing a batch to the write thread clones it on the event loop (~0.5 µs a row): after a
 * database outage (up to `maxQueuedLogs` rows waiting) or while the thread lags behind a saturated core, one flush
 * of everything held the loop for tens of ms.
 */
export const MAX_FLUSH_ROWS = 1_024;

function droppedCounter(): Counter {
  const name = 'sluice_spend_logs_dropped_total';
  const existing = register.getSingleMetric(name);
  return (existing as Counter | undefined) ?? new Counter({ name, help: 'SpendLogs rows dropped because the spend queue was full (the database was away too long)' });
}

function flushEarly(writer: SpendBatchWriter): void {
  writer.flushEarly();
}

export class SpendBatchWriter {
  /** Totals (increments, daily aggregates, budget resets) since the last flush. */
  private buffer = new SpendBuffer();
  /** SpendLogs rows not yet handed to a flush. */
  private readonly logQueue = new SpendLogQueue(MAX_FLUSH_ROWS);
  private readonly database: Database;
  private readonly options: BatchWriterOptions;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private failures = 0;
  private pendingEvents = 0;
  private earlyFlushQueued = false;
  private readonly dropped = droppedCounter();
  droppedLogs = 0;
  private lastDropWarning = 0;

  /** Batches are written from their own thread; only in-memory SQLite (one connection) writes from the event loop. */
  private thread: SpendWriteThread | null = null;

  constructor(database: Database, options: BatchWriterOptions) {
    this.database = database;
    this.options = options;
  }

  start(): void {
    if (this.database.connectionSpec !== null && this.thread === null) this.thread = new SpendWriteThread(this.database.connectionSpec);
    this.schedule(this.options.intervalMs);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.flush().finally(() => this.scheduleNext()), delayMs);
    this.timer.unref();
  }

  private scheduleNext(): void {
    if (this.timer === null) return;
    // After a failure: 0.5 s, 1 s, 2 s … up to a minute, whatever the flush interval.
    this.schedule(this.failures === 0 ? this.options.intervalMs : Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.failures, 8)));
  }

  record(event: SpendEvent, keyId: string, teamId: string | null, userId: string | null, endUserId: string | null, memberId: string | null = null): void {
    if (this.options.writeLogs) {
      if (this.logQueue.rows >= this.options.maxQueuedLogs) this.dropLogs(1);
      else this.logQueue.append(event);
    }
    this.buffer.record(event, false, keyId, teamId, userId, endUserId, memberId);
    if (++this.pendingEvents >= FLUSH_AT_EVENTS && this.flushing === null) this.queueEarlyFlush();
  }

  private queueEarlyFlush(): void {
    if (this.earlyFlushQueued || this.failures > 0 || this.timer === null) return;
    // Not inside the request's observer: the batch is encoded on a later turn of the event loop.
    this.earlyFlushQueued = true;
    setImmediate(flushEarly, this);
  }

  /** The size-triggered flush; the timer keeps running for the quiet case. */
  flushEarly(): void {
    this.earlyFlushQueued = false;
    if (this.flushing === null) void this.flush();
  }

  budgetReset(target: ResetTarget, id: string, nextResetAt: Date): void {
    this.buffer.resets.set(`${target}:${id}`, { target, id, nextResetAt });
  }

  private dropLogs(count: number): void {
    if (count <= 0) return;
    this.droppedLogs += count;
    this.dropped.inc(count);
    const now = Date.now();
    if (now - this.lastDropWarning > 10_000) {
      this.lastDropWarning = now;
      logger.error({ dropped: this.droppedLogs, maxQueuedLogs: this.options.maxQueuedLogs }, 'spend queue full: SpendLogs rows dropped (spend totals are kept)');
    }
  }

  private isEmpty(): boolean {
    return this.buffer.isEmpty() && this.logQueue.rows === 0;
  }

  /** Writes what is buffered now; concurrent callers share one flush. */
  flush(): Promise<void> {
    if (this.flushing !== null) return this.flushing;
    if (this.isEmpty()) return Promise.resolve();
    const batch = this.buffer;
    this.buffer = new SpendBuffer();
    // The oldest block of rows goes now and the rest stay queued; totals all go now (they are merged sums).
    batch.logs = this.logQueue.take() ?? emptyBlock();
    this.pendingEvents = this.logQueue.rows;
    this.flushing = writeSpend(this.database, batch, this.options.writeLogs, this.thread, this.options.changeIdPrefix)
      .then(() => {
        this.failures = 0;
        this.options.onDatabaseStatus?.(true);
        this.options.onWritten?.(batch.increments, batch.logs.length);
      })
      .catch((error: unknown) => {
        this.failures++;
        this.options.onDatabaseStatus?.(false);
        this.buffer.mergeTotals(batch);
        this.dropLogs(this.logQueue.putBack(batch.logs, this.options.maxQueuedLogs));
        logger.warn({ err: error, attempt: this.failures }, 'spend write failed; will retry');
      })
      .finally(() => {
        this.flushing = null;
        if (this.pendingEvents >= FLUSH_AT_EVENTS) this.queueEarlyFlush();
      });
    return this.flushing;
  }

  /** Stops the timer and writes everything, retrying until `deadlineMs` passes. */
  async drain(deadlineMs: number): Promise<boolean> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const until = Date.now() + deadlineMs;
    try {
      for (;;) {
        await this.flush();
        if (this.isEmpty()) return true;
        if (Date.now() >= until) return false;
        // A backlog leaves block after block at once; only a failed write waits before the next try.
        if (this.failures > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await this.thread?.close();
      this.thread = null;
    }
  }
}
