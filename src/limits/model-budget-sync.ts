// Shares per-model spend (`model_max_budget`) across workers and instances through Redis, never on the request path:
// charges are batched into INCRBYFLOAT on a per-period counter and the windows in use are read back, one pipeline
// per tick (as the router's shared state does). Admission reads the last synced total from memory.
import type { Redis } from 'ioredis';
import { logger } from '../logging/logger.js';
import type { ModelSpendWindow } from './model-budget.js';

/** How often charges are pushed and totals read back: another instance's spend is seen within about this long. */
export const MODEL_BUDGET_TICK_MS = 100;
/** A window not asked about for this long is no longer read back (it is read again once it is used). */
const IDLE_MS = 60_000;
/** Counters outlive their period by this much, so a late read of a just-finished period still finds it. */
const EXPIRE_GRACE_MS = 60_000;

function onTick(sync: ModelBudgetSync): void {
  void sync.tick();
}

interface Charge {
  window: ModelSpendWindow;
  periodStart: number;
  amount: number;
}

export class ModelBudgetSync {
  private readonly redis: Redis;
  private readonly prefix: string;
  private tracked: ModelSpendWindow[] = [];
  private queued: ModelSpendWindow[] = [];
  private syncing = false;
  private lastWarning = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(redis: Redis, prefix: string, tickMs = MODEL_BUDGET_TICK_MS) {
    this.redis = redis;
    this.prefix = `${prefix}model_budget:`;
    this.timer = setInterval(onTick, tickMs, this);
    this.timer.unref();
  }

  /** Admission: keep this window's shared total fresh while it is in use. */
  track(window: ModelSpendWindow): void {
    if (window.tracked) return;
    window.tracked = true;
    this.tracked.push(window);
  }

  /** After the response: the window's pending charge goes out with the next tick. */
  charged(window: ModelSpendWindow): void {
    if (window.queued) return;
    window.queued = true;
    this.queued.push(window);
  }

  private key(window: ModelSpendWindow): string {
    return `${this.prefix}${window.counter}:${window.periodStart}`;
  }

  async tick(): Promise<void> {
    if (this.syncing || (this.queued.length === 0 && this.tracked.length === 0)) return;
    this.syncing = true;
    const now = Date.now();
    const pipeline = this.redis.pipeline();
    const charges: Charge[] = [];
    const queued = this.queued;
    this.queued = [];
    for (const window of queued) {
      window.queued = false;
      window.roll(now);
      if (window.pending <= 0) continue;
      const key = this.key(window);
      pipeline.incrbyfloat(key, window.pending).pexpire(key, window.periodEnd - now + EXPIRE_GRACE_MS);
      charges.push({ window, periodStart: window.periodStart, amount: window.pending });
    }
    const reads: Charge[] = [];
    this.tracked = this.tracked.filter((window) => {
      if (now - window.lastUsed <= IDLE_MS) return true;
      window.tracked = false;
      return false;
    });
    for (const window of this.tracked) {
      window.roll(now);
      pipeline.get(this.key(window));
      reads.push({ window, periodStart: window.periodStart, amount: 0 });
    }
    try {
      const results = (await pipeline.exec()) ?? [];
      let index = 0;
      for (const charge of charges) {
        const [error, total] = results[index] ?? [new Error('no reply'), null];
        index += 2;
        if (error !== null) this.requeue(charge.window);
        else this.settle(charge, Number(total));
      }
      for (const read of reads) {
        const [error, value] = results[index++] ?? [new Error('no reply'), null];
        if (error === null && read.window.periodStart === read.periodStart) read.window.shared = Math.max(read.window.shared, Number(value ?? 0));
      }
    } catch (error) {
      // Nothing was settled: every pending charge stays and goes out again (a timeout after Redis applied one can
      // count it twice, never lose it).
      for (const charge of charges) this.requeue(charge.window);
      this.warn(error);
    } finally {
      this.syncing = false;
    }
  }

  /** The flushed amount now lives in Redis' total; charges made meanwhile stay pending. */
  private settle(charge: Charge, total: number): void {
    const window = charge.window;
    if (window.periodStart !== charge.periodStart) return;
    window.pending = Math.max(0, window.pending - charge.amount);
    if (Number.isFinite(total)) window.shared = Math.max(window.shared, total);
  }

  private requeue(window: ModelSpendWindow): void {
    if (window.pending > 0) this.charged(window);
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    logger.warn({ err: error }, 'model budget sync with redis failed; per-model spend is counted locally until it returns');
  }

  /** Pushes what is pending (shutdown) and stops. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    while (this.syncing) await new Promise((resolve) => setTimeout(resolve, 10));
    this.tracked = [];
    await this.tick();
  }
}
