// Where a worker's shared routing state lives: the cluster primary (IPC) or Redis; both speak this interface.
import type { SharedView, SyncReport } from './quota-book.js';

export interface SharedBackend {
  readonly kind: 'cluster' | 'redis';
  /** Leases up to `want` requests of a deployment's per-minute rpm; resolves to how many were granted. */
  lease(id: string, minute: number, want: number, limit: number): Promise<number>;
  /** Sends this tick's deltas and returns the totals across every worker and instance. */
  sync(report: SyncReport, ids: readonly string[]): Promise<SharedView>;
  close(): Promise<void>;
}
