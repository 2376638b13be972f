// Starts and stops the mock provider server on node:http.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockDispatcher } from './dispatch.js';
import type { MockServer, MockServerOptions, ResolvedOptions } from './types.js';

export function resolveOptions(options: MockServerOptions = {}): ResolvedOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    latencyMs: Math.max(0, options.latencyMs ?? 0),
    chunks: Math.max(1, Math.floor(options.chunks ?? 8)),
    chunkDelayMs: Math.max(0, options.chunkDelayMs ?? 0),
    faultRate: options.faultRate ?? 0,
    faultStatus: options.faultStatus ?? 500,
    retryAfter: options.retryAfter,
    seed: options.seed ?? 1,
  };
}

export async function startMockServer(options?: MockServerOptions): Promise<MockServer> {
  const resolved = resolveOptions(options);
  validate(resolved);
  const dispatcher = new MockDispatcher(resolved);
  const server = createServer(dispatcher.handle);
  // Outlive undici's default 4 s keep-alive so benchmark connections are reused, not reset.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () => closeServer(server),
    stats: () => dispatcher.log.stats(),
    reset: () => dispatcher.reset(),
  };
}

function validate(options: ResolvedOptions): void {
  if (!(options.faultRate >= 0 && options.faultRate <= 1)) throw new RangeError(`faultRate must be within 0..1, got ${options.faultRate}`);
  if (!(options.faultStatus >= 100 && options.faultStatus <= 599)) throw new RangeError(`faultStatus must be an HTTP status, got ${options.faultStatus}`);
}

/** Closes the listener and every open connection, including hung requests and idle keep-alive sockets. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
