// `--prometheus_metrics_port`: a separate tiny HTTP server that only answers GET /metrics.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { logger } from '../logging/logger.js';
import type { MetricsSource } from './metrics-source.js';

export function writeMetrics(res: ServerResponse, source: MetricsSource, extraHeaders?: Record<string, string>): void {
  source.render().then(
    (text) => {
      res.writeHead(200, { 'content-type': source.contentType, 'content-length': Buffer.byteLength(text), ...extraHeaders });
      res.end(text);
    },
    (error: unknown) => {
      logger.error({ err: error }, 'metrics collection failed');
      const body = JSON.stringify({ error: { message: 'Metrics collection failed.', type: 'internal_server_error', param: null, code: '500' } });
      res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extraHeaders });
      res.end(body);
    },
  );
}

/** Serves the source on its own port; `authorize` (when given) decides from the request headers. */
export async function startMetricsServer(source: MetricsSource, port: number, host: string, authorize?: (req: IncomingMessage) => boolean): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/metrics/')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found. Metrics are at GET /metrics.\n');
      return;
    }
    if (authorize !== undefined && !authorize(req)) {
      const body = JSON.stringify({ error: { message: 'Authentication Error, invalid or missing key for /metrics.', type: 'auth_error', param: null, code: '401' } });
      res.writeHead(401, { 'content-type': 'application/json' }).end(body);
      return;
    }
    writeMetrics(res, source);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}
