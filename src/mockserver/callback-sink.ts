// `POST /callback-sink` (and `/v1/callback-sink`): a logging-callback endpoint that reads the body and answers 200, so
// benchmarks and tests of generic_api measure the success path. Not a provider: latency, faults and scenarios do not apply.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestLog } from './request-log.js';

const SINK_PATHS: ReadonlySet<string> = new Set(['/callback-sink', '/v1/callback-sink']);
const OK = '{"ok":true}';
const OK_HEADERS = { 'content-type': 'application/json', 'content-length': String(OK.length) };

export function isCallbackSink(method: string, path: string): boolean {
  return method === 'POST' && SINK_PATHS.has(path);
}

/**
 * Reads the whole body, records it as text (never parsed: a 100-event batch is ~200 KB of JSON, and parsing it would
 * cost the mock, which shares a core with the load generator, more than answering the requests it measures), answers 200.
 */
export function handleCallbackSink(log: RequestLog, path: string, req: IncomingMessage, res: ServerResponse): void {
  log.count(path);
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    const raw = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    log.record({ method: 'POST', path: req.url ?? path, headers: req.headers, body: raw.toString('utf8') });
    if (res.destroyed) return;
    res.writeHead(200, OK_HEADERS);
    res.end(OK);
  });
}
