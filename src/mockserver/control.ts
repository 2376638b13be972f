// The mock's own endpoints under /mock/: stats, reset and the recorded upstream requests.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestLog } from './request-log.js';

export interface ControlTarget {
  readonly log: RequestLog;
  reset(): void;
}

type ControlHandler = (target: ControlTarget) => [status: number, body: unknown];

const CONTROL: ReadonlyMap<string, ControlHandler> = new Map<string, ControlHandler>([
  ['GET /mock/stats', (t) => [200, t.log.stats()]],
  [
    'POST /mock/reset',
    (t) => {
      t.reset();
      return [200, { ok: true }];
    },
  ],
  ['GET /mock/last', (t) => lastRequest(t)],
  ['GET /mock/requests', (t) => [200, t.log.all()]],
]);

/** Answers a control request; returns false when `method path` is not one. */
export function handleControl(target: ControlTarget, method: string, path: string, res: ServerResponse, req: IncomingMessage): boolean {
  const handler = CONTROL.get(`${method} ${path}`);
  if (handler === undefined) return false;
  req.resume();
  const [status, body] = handler(target);
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
  return true;
}

function lastRequest(target: ControlTarget): [number, unknown] {
  const last = target.log.last();
  if (last !== undefined) return [200, last];
  return [404, { error: { message: 'No requests recorded yet.', type: 'invalid_request_error', param: null, code: null } }];
}
