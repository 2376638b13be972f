// Shared routing state over cluster IPC: workers lease rpm quota and sync counters with the primary's QuotaBook.
import cluster, { type Worker } from 'node:cluster';
import type { SharedBackend } from './backend.js';
import { QuotaBook, type SharedView, type SyncReport } from './quota-book.js';

const TAG = 'sluice-router';
/** An unanswered IPC call gives up after this (the primary restarting, say); routing carries on locally. */
const CALL_TIMEOUT_MS = 1_000;

interface LeaseMessage { tag: typeof TAG; call: number; op: 'lease'; id: string; minute: number; want: number; limit: number }
interface SyncMessage { tag: typeof TAG; call: number; op: 'sync'; report: SyncReport }
interface ReplyMessage { tag: typeof TAG; call: number; result: number | SharedView }
type RequestMessage = LeaseMessage | SyncMessage;

function isRouterMessage(message: unknown): message is RequestMessage | ReplyMessage {
  return typeof message === 'object' && message !== null && (message as { tag?: unknown }).tag === TAG;
}

/** Primary side: answers every worker's lease and sync calls from one in-memory book. */
export function serveSharedRouterState(): void {
  const book = new QuotaBook();
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isRouterMessage(message) || !('op' in message)) return;
    const result = message.op === 'lease' ? book.lease(message.id, message.minute, message.want, message.limit) : book.apply(message.report);
    if (worker.isConnected()) worker.send({ tag: TAG, call: message.call, result } satisfies ReplyMessage);
  });
}

interface Pending {
  resolve(value: number | SharedView): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** Worker side. */
export class ClusterBackend implements SharedBackend {
  readonly kind = 'cluster' as const;
  private nextCall = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly onMessage = (message: unknown): void => {
    if (!isRouterMessage(message) || !('result' in message)) return;
    const waiting = this.pending.get(message.call);
    if (waiting === undefined) return;
    this.pending.delete(message.call);
    clearTimeout(waiting.timer);
    waiting.resolve(message.result);
  };

  constructor() {
    process.on('message', this.onMessage);
  }

  private call(message: Omit<LeaseMessage, 'tag' | 'call'> | Omit<SyncMessage, 'tag' | 'call'>): Promise<number | SharedView> {
    return new Promise((resolve, reject) => {
      const call = this.nextCall++;
      const timer = setTimeout(() => {
        this.pending.delete(call);
        reject(new Error('cluster primary did not answer'));
      }, CALL_TIMEOUT_MS);
      timer.unref();
      this.pending.set(call, { resolve, reject, timer });
      process.send!({ tag: TAG, call, ...message }, undefined, undefined, (error: Error | null) => {
        if (error === null) return;
        clearTimeout(timer);
        this.pending.delete(call);
        reject(error);
      });
    });
  }

  async lease(id: string, minute: number, want: number, limit: number): Promise<number> {
    return (await this.call({ op: 'lease', id, minute, want, limit })) as number;
  }

  async sync(report: SyncReport): Promise<SharedView> {
    return (await this.call({ op: 'sync', report })) as SharedView;
  }

  async close(): Promise<void> {
    process.off('message', this.onMessage);
    for (const waiting of this.pending.values()) clearTimeout(waiting.timer);
    this.pending.clear();
  }
}
