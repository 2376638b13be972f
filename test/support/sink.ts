// A local HTTP receiver standing in for logging backends (generic API, OTLP/HTTP, Langfuse): records every POST.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Sink {
  url: string;
  received: Received[];
  /** Resolves once `count` requests whose path starts with `prefix` arrived (or rejects after `timeoutMs`). */
  waitFor(prefix: string, count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** `behaviour(path)`: 'ok' answers 200, 'fail' 500, 'hang' never answers. */
export async function startSink(behaviour: (path: string) => 'ok' | 'fail' | 'hang' = () => 'ok'): Promise<Sink> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      // OTLP exporters may gzip (OTEL_EXPORTER_OTLP_COMPRESSION=gzip); keep the decoded body, as a collector would.
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      received.push({ path, headers: req.headers, body: body.toString('utf8') });
      const mode = behaviour(path);
      if (mode === 'hang') return;
      res.writeHead(mode === 'ok' ? 200 : 500, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    async waitFor(prefix, count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = received.filter((item) => item.path.startsWith(prefix));
        if (matching.length >= count) return matching;
        if (Date.now() > deadline) throw new Error(`sink: ${matching.length}/${count} requests on ${prefix}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
