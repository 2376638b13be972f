// A precise metronome for the open loop: a worker thread sleeps with Atomics.wait (µs precision) and wakes the main
// thread at each scheduled send time; Node's own timers only fire on whole milliseconds (~0.7 ms late at p50).
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const cell = new Int32Array(new SharedArrayBuffer(4));
parentPort.on('message', ({ start, intervalMs, n }) => {
  let i = 0;
  while (i < n) {
    const wait = start + i * intervalMs - (performance.timeOrigin + performance.now());
    if (wait > 0) Atomics.wait(cell, 0, 0, wait);
    // Skip slots that are already due, so a late wake-up posts one message, not a burst.
    const now = performance.timeOrigin + performance.now();
    i = Math.max(i + 1, Math.min(n, Math.floor((now - start) / intervalMs) + 1));
    parentPort.postMessage(i);
  }
});
`;

/** Absolute time in ms (float, sub-µs resolution), comparable across threads. */
export function clockMs() {
  return performance.timeOrigin + performance.now();
}

/** One ticker thread for the process; `run` paces one schedule at a time. */
export class Ticker {
  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.onTick = null;
    this.worker.on('message', () => this.onTick?.());
    this.worker.on('error', (err) => {
      throw err;
    });
  }

  ready() {
    return once(this.worker, 'online');
  }

  /** Calls `onTick()` at (or just after) start + k·intervalMs for k < n. */
  run(start, intervalMs, n, onTick) {
    this.onTick = onTick;
    this.worker.postMessage({ start, intervalMs, n });
  }

  stop() {
    return this.worker.terminate();
  }
}
