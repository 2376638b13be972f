// Under `--role all` the management API and admin UI run in a child process (src/cli/control-supervisor.ts): this
// relays their paths to it over a private unix socket, streaming request and response bodies through unchanged, so
// the data plane's event loop only moves bytes — no database call, no JSON encoding of large pages.
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { GatewayError, writeError } from '../core/errors.js';
import { logger } from '../logging/logger.js';
import type { ManagementHandler } from './access-control.js';

/** Connection-scoped headers (RFC 9110 §7.6.1): never forwarded; Node and undici frame each hop themselves. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'expect']);

const CONNECTIONS = 16;

function requestHeaders(req: IncomingMessage): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const name in req.headers) if (!HOP_BY_HOP.has(name)) headers[name] = req.headers[name];
  // The control plane sees the client's address and scheme as a reverse proxy would pass them.
  const address = req.socket.remoteAddress;
  if (address !== undefined) headers['x-forwarded-for'] = typeof headers['x-forwarded-for'] === 'string' ? `${headers['x-forwarded-for']}, ${address}` : address;
  if ((req.socket as { encrypted?: boolean }).encrypted === true) headers['x-forwarded-proto'] = 'https';
  return headers;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** undici's stream() factory: the child's status and headers go out as they are, then its body is written straight to the client. */
function openResponse(this: void, data: Dispatcher.StreamFactoryData<ServerResponse>): ServerResponse {
  const res = data.opaque;
  const headers: OutgoingHttpHeaders = {};
  for (const name in data.headers) if (!HOP_BY_HOP.has(name)) headers[name] = data.headers[name];
  res.writeHead(data.statusCode, headers);
  return res;
}

function onRelayed(this: void, error: Error | null, data: { opaque: unknown }): void {
  if (error === null) return;
  const res = data.opaque as ServerResponse;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const code = (error as NodeJS.ErrnoException).code;
  const starting = code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'UND_ERR_SOCKET' || code === 'ECONNRESET';
  if (!starting) logger.warn({ err: error }, 'control-plane relay failed');
  writeError(res, new GatewayError({
    reason: 'unavailable',
    status: 503,
    message: starting ? 'The control plane (management API and UI) is restarting; try again in a moment.' : `The control plane did not answer: ${error.message}`,
    headers: { 'retry-after': '1' },
  }));
}

export class ControlPlaneProxy implements ManagementHandler {
  private readonly pool: Pool;
  private readonly matches: (path: string) => boolean;

  /** `matches` says which paths the control plane serves (src/controlplane/control-paths.ts, wired by the CLI). */
  constructor(socketPath: string, matches: (path: string) => boolean) {
    this.matches = matches;
    this.pool = new Pool('http://sluice-control', { socketPath, connections: CONNECTIONS });
  }

  handles(path: string): boolean {
    return this.matches(path);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.pool.stream(
      { path: req.url ?? '/', method: (req.method ?? 'GET') as Dispatcher.HttpMethod, headers: requestHeaders(req), body: hasBody(req) ? req : null, opaque: res },
      openResponse,
      onRelayed,
    );
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
