// Writes complete (non-streamed) responses, applying the drop_after and truncate scenarios to successful bodies.
import type { ServerResponse } from 'node:http';
import type { MockContext } from './types.js';

export type HeaderMap = Record<string, string>;

const JSON_TYPE = 'application/json';

/** Sends an error or control body as-is; scenarios that damage bodies do not apply. */
export function sendJson(ctx: MockContext, status: number, body: unknown, headers?: HeaderMap): void {
  writeText(ctx, status, JSON.stringify(body), headers);
}

/** Sends a successful provider reply, honouring drop_after (headers, then a dead socket) and truncate. */
export function sendReply(ctx: MockContext, body: unknown, headers?: HeaderMap): void {
  const { res, scenario } = ctx;
  if (scenario.dropAfter !== undefined) {
    res.writeHead(200, { 'content-type': JSON_TYPE, ...headers });
    res.flushHeaders();
    dropConnection(res);
    return;
  }
  const text = JSON.stringify(body);
  writeText(ctx, 200, scenario.truncate ? text.slice(0, Math.max(1, text.length >> 1)) : text, headers);
}

function writeText(ctx: MockContext, status: number, text: string, headers: HeaderMap | undefined): void {
  const { res } = ctx;
  if (res.destroyed) return;
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Destroys the socket once what was already written has reached it, so the client sees a cut, not a reset. */
export function dropConnection(res: ServerResponse): void {
  const socket = res.socket;
  // An empty socket write completes only after every earlier write, so its callback marks "all sent".
  if (socket === null) res.destroy();
  else socket.write('', () => socket.destroy());
}
