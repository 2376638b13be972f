// Both ends of the control-plane IPC besides the supervisor: the control child's link to its parent, a worker's
// answers to the primary, and the primary's fan-out of the child's calls to every worker of a `--num_workers` group.
import cluster, { type Worker } from 'node:cluster';
import type { GovernanceState } from '../auth/governance-state.js';
import { logger } from '../logging/logger.js';
import type { ProcessRouterStatus } from '../router/router-status.js';
import type { ChangeKind } from '../store/repository.js';
import { answerCall, IpcCaller, isControlCall, isControlReply, readyMessage, type ControlCall, type ControlHandlers } from './control-ipc.js';

/** The child waits this long for the data plane to apply a change before answering anyway (the change poll catches up). */
const CHANGE_TIMEOUT_MS = 5_000;
/** The primary gives each worker this long (less than the child's wait, so one stuck worker cannot time the whole call out). */
const WORKER_TIMEOUT_MS = 3_000;
const STATUS_TIMEOUT_MS = 2_000;

function sendToParent(message: ControlCall, callback: (error: Error | null) => void): boolean {
  if (process.send === undefined || !process.connected) throw new Error('no parent process');
  return process.send(message, undefined, undefined, callback);
}

/** The control child's side: calls the parent, says when it is ready. */
export class ControlChildLink {
  private readonly caller = new IpcCaller();

  constructor() {
    process.on('message', (message: unknown) => {
      if (isControlReply(message)) this.caller.settle(message);
    });
    process.on('disconnect', () => this.caller.close('parent process gone'));
  }

  /** Resolves once the data plane has reloaded the entity (or after a deadline, logged: its change poll then applies it). */
  readonly announce = async (kind: ChangeKind, id: string, logId: string): Promise<void> => {
    try {
      await this.caller.call(sendToParent, { op: 'changed', kind, id, logId }, CHANGE_TIMEOUT_MS);
    } catch (error) {
      logger.warn({ err: error, kind, id }, 'data plane did not confirm a change; it applies it at its next change poll');
    }
  };

  /** The data plane's routing state, every process of it; null when it cannot be had. */
  readonly routerStatus = async (): Promise<ProcessRouterStatus[] | null> => {
    try {
      return (await this.caller.call(sendToParent, { op: 'router-status' }, STATUS_TIMEOUT_MS)).parts ?? null;
    } catch {
      return null;
    }
  };

  ready(): void {
    process.send?.(readyMessage());
  }
}

/**
 * A data-plane process's answers: re-read the announced entity (awaited even when a poll or pub/sub message is
 * already reloading it: the reload that started last is the one applied), and report this process's routing state.
 */
export function dataPlaneHandlers(state: () => Promise<GovernanceState | null>, status: () => ProcessRouterStatus | null): ControlHandlers {
  return {
    async changed(kind, id, logId) {
      const current = await state();
      if (current === null) return;
      // The change poll need not apply it again.
      current.markApplied(logId);
      await current.reload(kind, id);
    },
    async routerStatus() {
      const own = status();
      return own === null ? [] : [own];
    },
  };
}

/** A `--num_workers` worker: answers the primary's relayed calls with this process's handlers. */
export function serveControlCalls(handlers: ControlHandlers): void {
  process.on('message', (message: unknown) => {
    if (!isControlCall(message)) return;
    void answerCall(message, handlers).then((reply) => {
      if (process.connected) process.send!(reply);
    });
  });
}

function liveWorkers(): Worker[] {
  return Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && worker.isConnected());
}

/** The primary: the child's calls go to every live worker; a change is confirmed once all of them applied it. */
export function primaryControlHandlers(): ControlHandlers {
  const caller = new IpcCaller();
  cluster.on('message', (_worker: Worker, message: unknown) => {
    if (isControlReply(message)) caller.settle(message);
  });
  const sendTo = (worker: Worker) => (message: ControlCall, callback: (error: Error | null) => void): boolean => worker.send(message, undefined, callback);
  return {
    async changed(kind, id, logId) {
      const results = await Promise.allSettled(liveWorkers().map((worker) => caller.call(sendTo(worker), { op: 'changed', kind, id, logId }, WORKER_TIMEOUT_MS)));
      for (const result of results) if (result.status === 'rejected') logger.warn({ err: result.reason, kind, id }, 'a worker did not confirm a change');
    },
    async routerStatus() {
      const results = await Promise.allSettled(liveWorkers().map((worker) => caller.call(sendTo(worker), { op: 'router-status' }, STATUS_TIMEOUT_MS)));
      return results.flatMap((result) => (result.status === 'fulfilled' ? (result.value.parts ?? []) : []));
    },
  };
}
