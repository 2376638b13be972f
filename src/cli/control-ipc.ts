// The messages between the control-plane child and the data-plane process(es) over Node's IPC channel: the child
// announces every management change (answered once the data plane has reloaded the entity) and asks for routing
// state (answered from the data plane's memory); the child also says when it is ready.
import type { ProcessRouterStatus } from '../router/router-status.js';
import type { ChangeKind } from '../store/repository.js';

const TAG = 'sluice-control';

export type ControlCallBody = { op: 'changed'; kind: ChangeKind; id: string; logId: string } | { op: 'router-status' };
export type ControlCall = ControlCallBody & { tag: typeof TAG; call: number };
export interface ControlReply {
  tag: typeof TAG;
  call: number;
  /** Set when the call failed on the answering side. */
  error?: string;
  parts?: ProcessRouterStatus[];
}
export interface ControlReady {
  tag: typeof TAG;
  op: 'ready';
  pid: number;
}

/** What a data-plane process does for the control plane. */
export interface ControlHandlers {
  /** Re-reads the entity from the database; resolves once the hot path sees it. `logId`: its Sluice_ChangeLog row. */
  changed(kind: ChangeKind, id: string, logId: string): Promise<void>;
  /** This process's (or, in a primary, every worker's) routing state. */
  routerStatus(): Promise<ProcessRouterStatus[]>;
}

function tagged(message: unknown): message is { tag: typeof TAG } {
  return typeof message === 'object' && message !== null && (message as { tag?: unknown }).tag === TAG;
}

export function isControlCall(message: unknown): message is ControlCall {
  return tagged(message) && typeof (message as { call?: unknown }).call === 'number' && 'op' in message;
}

export function isControlReply(message: unknown): message is ControlReply {
  return tagged(message) && typeof (message as { call?: unknown }).call === 'number' && !('op' in message);
}

export function isControlReady(message: unknown): message is ControlReady {
  return tagged(message) && (message as { op?: unknown }).op === 'ready';
}

export function readyMessage(): ControlReady {
  return { tag: TAG, op: 'ready', pid: process.pid };
}

/** Runs one call with the handlers and builds its reply (errors become the reply's `error`, never a throw). */
export async function answerCall(call: ControlCall, handlers: ControlHandlers): Promise<ControlReply> {
  try {
    if (call.op === 'changed') {
      await handlers.changed(call.kind, call.id, call.logId);
      return { tag: TAG, call: call.call };
    }
    return { tag: TAG, call: call.call, parts: await handlers.routerStatus() };
  } catch (error) {
    return { tag: TAG, call: call.call, error: (error as Error).message || String(error) };
  }
}

interface Waiting {
  resolve(reply: ControlReply): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

type Send = (message: ControlCall, callback: (error: Error | null) => void) => boolean;

/** Numbered calls over one or more IPC channels, each answered by a reply message or failed at its deadline. */
export class IpcCaller {
  private nextCall = 1;
  private readonly waiting = new Map<number, Waiting>();

  call(send: Send, body: ControlCallBody, timeoutMs: number): Promise<ControlReply> {
    return new Promise((resolve, reject) => {
      const call = this.nextCall++;
      const timer = setTimeout(() => {
        this.waiting.delete(call);
        reject(new Error(`no answer to ${body.op} within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.waiting.set(call, { resolve, reject, timer });
      try {
        send({ ...body, tag: TAG, call }, (error) => {
          if (error !== null) this.fail(call, error);
        });
      } catch (error) {
        this.fail(call, error as Error);
      }
    });
  }

  /** Hands a reply to its caller; false when no call waits for it (late or foreign). */
  settle(reply: ControlReply): boolean {
    const waiting = this.waiting.get(reply.call);
    if (waiting === undefined) return false;
    this.waiting.delete(reply.call);
    clearTimeout(waiting.timer);
    if (reply.error !== undefined) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply);
    return true;
  }

  /** Fails every waiting call (the channel closed). */
  close(reason: string): void {
    for (const call of [...this.waiting.keys()]) this.fail(call, new Error(reason));
  }

  private fail(call: number, error: Error): void {
    const waiting = this.waiting.get(call);
    if (waiting === undefined) return;
    this.waiting.delete(call);
    clearTimeout(waiting.timer);
    waiting.reject(error);
  }
}
