// The gateway's side of the spend write thread: hands a batch over, resolves when its transaction commits.
import { Worker } from 'node:worker_threads';
import type { ConnectionSpec } from '../store/database.js';
import type { SpendBatch } from './spend-statements.js';

export interface SpendWriteMessage {
  id: number;
  batch: SpendBatch;
  writeLogs: boolean;
  changeIdPrefix: string;
}

export interface SpendWriteReply {
  id: number;
  error: string | null;
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

/** From dist the worker is the compiled JavaScript beside this file. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './spend-write-worker.ts' : './spend-write-worker.js', import.meta.url);

/** Under tsx (the tests) the TypeScript worker is loaded through tsx's loader, registered inside the thread. */
/** SLUICE_SPEND_THREAD_NICE: the write thread's nice value (0–19; 0 = the process's own priority). */
function threadNice(): number {
  const raw = process.env.SLUICE_SPEND_THREAD_NICE;
  const value = raw === undefined || raw === '' ? DEFAULT_NICE : Number(raw);
  return Number.isInteger(value) ? Math.min(19, Math.max(0, value)) : DEFAULT_NICE;
}
const DEFAULT_NICE = 10;

function startWorker(spec: ConnectionSpec): Worker {
  const workerData = { spec, nice: threadNice() };
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData });
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * Owns the write thread. A thread that dies (an uncaught driver error, an out-of-memory abort) fails the batches it
 * held, which the batch writer retries, and the next write starts a fresh thread, so a dead thread never leaves a
 * flush waiting forever.
 */
export class SpendWriteThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** Threads started so far: the first plus one per restart (tests and logs read it). */
  started = 0;

  constructor(private readonly spec: ConnectionSpec) {
    this.running();
  }

  /**
   * Compiles and runs the batch in one transaction on the write thread's own connection. The batch is structured-cloned
   * (Maps and Dates survive), so the caller must not reuse it.
   */
  write(batch: SpendBatch, writeLogs: boolean, changeIdPrefix = ''): Promise<void> {
    if (this.closed) return Promise.reject(new Error('spend write thread is closed'));
    const worker = this.running();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, batch, writeLogs, changeIdPrefix } satisfies SpendWriteMessage);
    });
  }

  private running(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = startWorker(this.spec);
    this.started++;
    worker.unref();
    worker.on('message', (reply: SpendWriteReply) => this.settle(reply));
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`spend write thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** Every batch still held by a thread that is gone is failed: the caller retries it on the next thread. */
  private lost(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  private settle(reply: SpendWriteReply): void {
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if (reply.error === null) pending.resolve();
    else pending.reject(new Error(reply.error));
  }

  /** Kills the thread as a crash would; for tests of the restart. */
  async crashForTest(): Promise<void> {
    await this.worker?.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (worker === null) return;
    worker.postMessage('close');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 2_000);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
