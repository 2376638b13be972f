// Response-cache benchmark (against dist/): cache-hit latency through the gateway at a fixed request rate vs a bare
// node:http echo of the same body, in memory and on Redis (open loop at a fixed rate, then closed loop with one
// request in flight), plus the in-memory lookup cost of a miss.
// Usage: node bench/cache.mjs [rate=1000] [seconds=3]. The servers run in a child process (pinned to core 0 when
// taskset exists), the open loop is bench/loadgen.mjs (core 1) for 5 × seconds per target in interleaved 1 s slices;
// the closed loop and the miss lookup run here (medians of 5 runs).
import { fork, spawnSync } from 'node:child_process';
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

const LOADGEN = new URL('./loadgen.mjs', import.meta.url).pathname;
/** Servers on core 0, the load generator on core 1 (as bench/run.mjs); BENCH_NO_PIN=1 or no taskset: unpinned. */
const PIN = process.env.BENCH_NO_PIN !== '1' && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/**
 * The open loop is bench/loadgen.mjs in its own process: requests evenly paced at RATE (not released in bursts),
 * each timed from its scheduled send, the targets interleaved in 1 s slices. Returns { p50, p99 } in ms per target.
 */
function openLoop(targets) {
  const config = {
    mode: 'open', targets: targets.map((target) => ({ name: target.label, origin: new URL(target.url).origin })), path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' }, body, rate: RATE, warmupS: 1, durationS: SECONDS * RUNS, sliceS: 1,
  };
  const args = [LOADGEN, JSON.stringify(config)];
  const run = PIN ? spawnSync('taskset', ['-c', '1', process.execPath, ...args], { encoding: 'utf8' }) : spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`loadgen failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1));
  return targets.map((target, index) => {
    const measured = result.targets[index];
    const errors = measured.errorCount;
    const row = { p50: measured.latencyUs.p50 / 1000, p99: measured.latencyUs.p99 / 1000 };
    console.log(`${target.label.padEnd(34)} p50 ${row.p50.toFixed(3)} ms   p99 ${row.p99.toFixed(3)} ms   (${measured.okRate.toFixed(0)} req/s${errors > 0 ? `, ${errors} errors` : ''}; send lag p99 ${(measured.sendLagUs.p99 / 1000).toFixed(3)} ms)`);
    return row;
  });
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
  if (PIN) spawnSync('taskset', ['-a', '-pc', '0', String(child.pid)], { stdio: 'ignore' });
  console.log(`cache benchmark — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}; ${RATE} req/s for ${SECONDS} s, servers in a child process${PIN ? ' (core 0; load generator on core 1)' : ''}, open loop by bench/loadgen.mjs (paced sends, targets interleaved in 1 s slices, ${SECONDS * RUNS} s each), closed loop median of ${RUNS} runs; load average ${os.loadavg()[0].toFixed(1)}`);
  const targets = [{ label: 'bare node:http echo', url: urls.echo }, { label: 'gateway, in-memory cache hit', url: urls.local }];
  if (urls.redis !== null) targets.push({ label: 'gateway, Redis cache hit', url: urls.redis });
  const [bare, memory, redis] = openLoop(targets);
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

