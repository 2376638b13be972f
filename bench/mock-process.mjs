// Runs the mock provider in its own (pinnable) process: the real dist/mockserver when built, else the bench fallback.
import { existsSync } from 'node:fs';
import { startFallbackMock } from './fallback-mock.mjs';

const num = (name, dflt) => (process.env[name] === undefined ? dflt : Number(process.env[name]));
const options = {
  port: 0,
  host: '127.0.0.1',
  latencyMs: num('MOCK_LATENCY_MS', 0),
  chunks: num('MOCK_CHUNKS', 16),
  chunkDelayMs: num('MOCK_CHUNK_DELAY_MS', 0),
};

const realModule = new URL('../dist/mockserver/index.js', import.meta.url);
let start = startFallbackMock;
let kind = 'fallback (bench/fallback-mock.mjs)';
if (process.env.BENCH_FALLBACK_MOCK !== '1' && existsSync(realModule)) {
  const mod = await import(realModule.href);
  if (typeof mod.startMockServer === 'function') {
    start = mod.startMockServer;
    kind = 'real (dist/mockserver)';
  }
}

const server = await start(options);
console.log(`bench mock ${kind} listening on http://127.0.0.1:${server.port}`);

if (process.env.BENCH_CHILD === '1') process.stdin.on('end', () => process.exit(0)).resume();
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
