// The floor: the least a Node gateway can do (node:http in, undici Pool out, bytes piped back); nothing should beat it.
// Usage: node bench/bare-proxy.mjs http://127.0.0.1:UPSTREAM_PORT [LISTEN_PORT]
import http from 'node:http';
import { Pool } from 'undici';

const upstream = process.argv[2];
const listenPort = Number(process.argv[3] ?? 0);
const pool = new Pool(upstream, { connections: 256, pipelining: 1, keepAliveTimeout: 60_000 });
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

function endToEnd(headers) {
  const out = {};
  for (const name in headers) if (!HOP_BY_HOP.has(name)) out[name] = headers[name];
  return out;
}

function forward(req, res, body) {
  const options = { path: req.url, method: req.method, headers: endToEnd(req.headers), body };
  pool.stream(options, ({ statusCode, headers }) => {
    res.writeHead(statusCode, endToEnd(headers));
    return res;
  }, (err) => {
    if (!err) return;
    if (res.headersSent) return res.destroy(err);
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: err.message, type: 'upstream_error', param: null, code: err.code ?? null } }));
  });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => forward(req, res, chunks.length ? Buffer.concat(chunks) : null));
});
server.keepAliveTimeout = 65_000;
server.listen(listenPort, '127.0.0.1', () => console.log(`bare proxy listening on http://127.0.0.1:${server.address().port}`));

if (process.env.BENCH_CHILD === '1') process.stdin.on('end', () => process.exit(0)).resume();
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
