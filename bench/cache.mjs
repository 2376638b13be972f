// Response-cache benchmark (against dist/): cache-hit latency through the gateway at a fixed request rate vs a bare
// node:http echo of the same body, in memory and on Redis (open loop at a fixed rate, then closed loop with one
// request in flight), plus the in-memory lookup cost of a miss.
// Usage: node bench/cache.mjs [rate=1000] [seconds=3]. Everything runs in one process; medians of 5 interleaved runs.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { validateConfigObject } from '../dist/config/load-config.js';
import { buildSnapshot } from '../dist/config/snapshot.js';
import { Gateway } from '../dist/dataplane/gateway.js';
import { startMockServer } from '../dist/mockserver/index.js';
import { ResponseCache } from '../dist/cache/response-cache.js';
import { resolveCacheSettings } from '../dist/cache/cache-settings.js';
import { LocalStore } from '../dist/cache/local-store.js';

const RATE = Number(process.argv[2] === '--serve' ? 0 : process.argv[2] ?? 1000);
const SECONDS = Number(process.argv[3] ?? 3);
const RUNS = 5;
const body = JSON.stringify({ model: 'gpt', messages: [{ role: 'system', content: 'You are concise.' }, { role: 'user', content: 'What is the capital of France?' }], temperature: 0 });

function signed(ms) {
  return `${ms >= 0 ? '+' : ''}${ms.toFixed(3)}`;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Sends `RATE` requests a second for `SECONDS` (in 10 ms ticks); returns sorted latencies in ms. */
/** The gateway's own `x-litellm-response-duration-ms` (request start to headers), collected during a run. */
let internal = [];

async function load(url) {
  const origin = new URL(url).origin;
  const pool = new Pool(origin, { connections: 32, pipelining: 1 });
  const path = new URL(url).pathname;
  const send = async () => {
    const started = performance.now();
    const response = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' }, body });
    await response.body.text();
    if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
    const inside = response.headers['x-litellm-response-duration-ms'];
    if (inside !== undefined) internal.push(Number(inside));
    return performance.now() - started;
  };
  for (let index = 0; index < 200; index++) await send();
  const latencies = [];
  const pending = [];
  const perTick = RATE / 100;
  const ticks = SECONDS * 100;
  const startedAt = performance.now();
  let owed = 0;
  for (let tick = 0; tick < ticks; tick++) {
    owed += perTick;
    for (; owed >= 1; owed--) pending.push(send().then((ms) => latencies.push(ms)));
    const wait = startedAt + (tick + 1) * 10 - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await Promise.all(pending);
  await pool.close();
  return latencies.sort((a, b) => a - b);
}

/** One request in flight at a time (closed loop): the per-request cost without queueing; returns the p50 in ms. */
async function sequentialP50(url, count = 3_000) {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: 1 });
  const samples = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    const response = await pool.request({ path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' }, body });
    await response.body.text();
    if (index >= 300) samples.push(performance.now() - started);
  }
  await pool.close();
  samples.sort((a, b) => a - b);
  return percentile(samples, 0.5);
}

/** Runs the targets interleaved (A, B, C, A, B, C, …) so load drift on a shared machine hits them alike. */
async function interleaved(targets) {
  const results = targets.map(() => ({ p50s: [], p99s: [], inside: [] }));
  for (let run = 0; run < RUNS; run++) {
    for (let index = 0; index < targets.length; index++) {
      internal = [];
      const latencies = await load(targets[index].url);
      results[index].p50s.push(percentile(latencies, 0.5));
      results[index].p99s.push(percentile(latencies, 0.99));
      results[index].inside.push(...internal);
    }
  }
  return targets.map((target, index) => {
    const { p50s, p99s, inside } = results[index];
    p50s.sort((a, b) => a - b);
    p99s.sort((a, b) => a - b);
    inside.sort((a, b) => a - b);
    const result = { p50: p50s[RUNS >> 1], p99: p99s[RUNS >> 1] };
    const within = inside.length === 0 ? '' : `   (inside the gateway: p50 ${percentile(inside, 0.5).toFixed(3)} ms)`;
    console.log(`${target.label.padEnd(34)} p50 ${result.p50.toFixed(3)} ms   p99 ${result.p99.toFixed(3)} ms${within}`);
    return result;
  });
}

async function startCachedGateway(mock, cacheParams) {
  const { config } = validateConfigObject({
    model_list: [{ model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'k' } }],
    litellm_settings: { cache: true, cache_params: cacheParams },
    general_settings: { master_key: 'sk-bench' },
  }, {});
  const gateway = new Gateway(buildSnapshot(config, {}), { role: 'all' });
  const address = await gateway.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}/v1/chat/completions`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const ping = await fetch(`http://127.0.0.1:${address.port}/cache/ping`, { headers: { authorization: 'Bearer sk-bench' } });
    if (ping.status === 200) break;
    if (attempt === 49) throw new Error('cache not ready');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const first = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' }, body });
  const cached = await first.text();
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { gateway, url, cached };
}

/** For context: a bare ioredis GET round trip from this process (the floor under any Redis hit). */
async function measureRedisRoundTrip() {
  const { Redis } = await import('ioredis');
  const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  await client.connect();
  const samples = [];
  for (let index = 0; index < 3_000; index++) {
    const started = performance.now();
    await client.get('sluice-bench-missing-key');
    samples.push(performance.now() - started);
  }
  client.disconnect();
  samples.sort((a, b) => a - b);
  console.log(`${'  (bare ioredis GET round trip)'.padEnd(34)} p50 ${percentile(samples, 0.5).toFixed(3)} ms`);
}

function measureMissLookup() {
  const { config } = validateConfigObject({ model_list: [{ model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_key: 'k', api_base: 'http://127.0.0.1:1/v1' } }], litellm_settings: { cache: true } }, {});
  const settings = resolveCacheSettings(config, {});
  const store = new LocalStore(64 * 1024 * 1024);
  for (let index = 0; index < 10_000; index++) store.set(`k${index}`, { timestamp: 0, response: 'x'.repeat(500) }, 600);
  const cache = new ResponseCache(settings, store, () => {}, null);
  const group = { name: 'gpt', deployments: [] };
  const iterations = 50_000;
  const bodies = Array.from({ length: iterations }, (_, index) => ({ ...JSON.parse(body), seed: index }));
  const ctx = { operation: 'chat', req: { headers: {} }, group, allowedCacheControls: null, stream: false, cacheKey: null, cacheWrite: null, cacheScope: '' };
  const samples = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    for (let index = 0; index < iterations; index++) cache.intercept(ctx, bodies[index]);
    samples.push(((performance.now() - started) * 1000) / iterations);
  }
  samples.sort((a, b) => a - b);
  console.log(`${'miss lookup in memory (intercept)'.padEnd(34)} ${samples[2].toFixed(2)} µs/op (key text + SHA-256 + LRU get + write state)`);
  return samples[2];
}

if (process.argv[2] === '--serve') await serve();
else await main();

/** Child process: the servers under test, so the load generator does not share their event loop. */
async function serve() {
  const mock = await startMockServer({ port: 0 });
  const local = await startCachedGateway(mock, { type: 'local' });
  const echoBody = local.cached;
  const echo = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(echoBody) });
      res.end(echoBody);
    });
  });
  await new Promise((resolve) => echo.listen(0, '127.0.0.1', resolve));
  let redisUrl = null;
  try {
    const redis = await startCachedGateway(mock, { type: 'redis', host: '127.0.0.1', port: 6379, namespace: `sluice-bench-${process.pid}` });
    redisUrl = redis.url;
  } catch {
    redisUrl = null;
  }
  process.send({ echo: `http://127.0.0.1:${echo.address().port}/v1/chat/completions`, local: local.url, redis: redisUrl });
  process.on('disconnect', () => process.exit(0));
}

async function main() {
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], { env: { ...process.env, SLUICE_LOG_LEVEL: 'silent' } });
  const urls = await new Promise((resolve) => child.once('message', resolve));
  console.log(`cache benchmark — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}; ${RATE} req/s for ${SECONDS} s, servers in a child process, median of ${RUNS} interleaved runs; load average ${os.loadavg()[0].toFixed(1)}`);
  const targets = [{ label: 'bare node:http echo', url: urls.echo }, { label: 'gateway, in-memory cache hit', url: urls.local }];
  if (urls.redis !== null) targets.push({ label: 'gateway, Redis cache hit', url: urls.redis });
  const [bare, memory, redis] = await interleaved(targets);
  console.log(`  → in-memory hit overhead over echo: p50 ${signed(memory.p50 - bare.p50)} ms (target ≤ 0.1 ms)`);
  if (urls.redis !== null) {
    console.log(`  → Redis hit overhead over echo: p50 ${signed(redis.p50 - bare.p50)} ms (target p50 ≤ 0.5 ms)`);
    await fetch(urls.redis.replace('/v1/chat/completions', '/cache/flushall'), { method: 'POST', headers: { authorization: 'Bearer sk-bench' } });
    await measureRedisRoundTrip();
  }
  const sequential = targets.map((target) => ({ label: target.label, p50s: [] }));
  for (let run = 0; run < RUNS; run++) for (let index = 0; index < targets.length; index++) sequential[index].p50s.push(await sequentialP50(targets[index].url));
  const medians = sequential.map((entry) => entry.p50s.sort((a, b) => a - b)[RUNS >> 1]);
  console.log('closed loop, one request in flight (no queueing), p50 of the round trip:');
  sequential.forEach((entry, index) => console.log(`  ${entry.label.padEnd(32)} ${medians[index].toFixed(3)} ms${index === 0 ? '' : `  (${signed(medians[index] - medians[0])} ms over the echo)`}`));
  if (urls.redis === null) console.log('Redis benchmark skipped: Redis at 127.0.0.1:6379 not reachable');
  measureMissLookup();
  child.disconnect();
  process.exit(0);
}

