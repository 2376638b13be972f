// The gateway's side of the SQLite write thread: sends a batch of statements, resolves when its transaction commits.
import { Worker } from 'node:worker_threads';

export interface SqliteStatement {
  sql: string;
  parameters: unknown[];
}

export interface SqliteStep extends SqliteStatement {
  /** Runs instead when the statement changed no row (update-or-insert). */
  orInsert: SqliteStatement | null;
}

export interface SqliteBatchMessage {
  id: number;
  steps: SqliteStep[];
}

export interface SqliteBatchReply {
  id: number;
  error: string | null;
  /** Rows changed by the batch's statements. */
  changes: number;
}

interface Pending {
  resolve(changes: number): void;
  reject(error: Error): void;
}

/** From dist the worker is the compiled JavaScript beside this file. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './sqlite-write-worker.ts' : './sqlite-write-worker.js', import.meta.url);

/** Under tsx (the tests) the TypeScript worker is loaded through tsx's loader, registered inside the thread. */
function startWorker(path: string): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData: { path } });
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: { path } });
}

export class SqliteWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(path: string) {
    this.worker = startWorker(path);
    this.worker.unref();
    this.worker.on('message', (reply: SqliteBatchReply) => this.settle(reply));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`SQLite write thread exited with code ${code}`)));
  }

  /** Runs the steps in one immediate transaction on the write thread; resolves with the rows they changed. */
  run(steps: SqliteStep[]): Promise<number> {
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, steps } satisfies SqliteBatchMessage);
    });
  }

  private settle(reply: SqliteBatchReply): void {
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if (reply.error === null) pending.resolve(reply.changes);
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
