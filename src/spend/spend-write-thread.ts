// The gateway's side of the spend write thread: hands a batch over, resolves when its transaction commits.
import { Worker } from 'node:worker_threads';
import type { ConnectionSpec } from '../store/database.js';
import type { SpendBatch } from './spend-statements.js';

export interface SpendWriteMessage {
  id: number;
  batch: SpendBatch;
  writeLogs: boolean;
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
function startWorker(spec: ConnectionSpec): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData: { spec } });
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: { spec } });
}

export class SpendWriteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(spec: ConnectionSpec) {
    this.worker = startWorker(spec);
    this.worker.unref();
    this.worker.on('message', (reply: SpendWriteReply) => this.settle(reply));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`spend write thread exited with code ${code}`)));
  }

  /**
   * Compiles and runs the batch in one transaction on the write thread's own connection. The batch is structured-cloned
   * (Maps and Dates survive), so the caller must not reuse it.
   */
  write(batch: SpendBatch, writeLogs: boolean): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, batch, writeLogs } satisfies SpendWriteMessage);
    });
  }

  private settle(reply: SpendWriteReply): void {
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if (reply.error === null) pending.resolve();
    else pending.reject(new Error(reply.error));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.worker.postMessage('close');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.worker.terminate().then(() => resolve()), 2_000);
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
