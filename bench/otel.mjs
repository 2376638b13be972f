// Benchmark: what the `otel` callback costs per request record on the event loop, and the process's memory with it.
// Each configuration runs in its own child process against a local OTLP receiver (another child, so its parsing is
// not counted). Records are pushed the way the data plane does (CallbackQueue.push on the request's tick) at a steady
// rate, and a round ends when the receiver has every span; the cost is the round's CPU time on the event-loop thread
// (Linux /proc/self/task/PID/schedstat, nanoseconds on CPU) divided by the records, median of 5 rounds. Also shown:
// the whole process's CPU (GC helper and libuv threads too) and event-loop active wall time (inflated when other
// processes compete for the cores).
// Run: npm run build && node bench/otel.mjs [DIST ...]   (DIST: a built dist/ directory, default ./dist; give several
// to compare builds, e.g. the previous exporter built from another checkout). BENCH_RECORDS=n per round (20000);
// BENCH_CPU_PROF=dir writes a V8 CPU profile of each measured process there.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const RECORDS_PER_ROUND = Number(process.env.BENCH_RECORDS ?? 20_000);
const ROUNDS = 5;
const RATE_PER_S = 5_000;
const TICK_MS = 10;

// ---------------------------------------------------------------- receiver (child)
function runReceiver() {
  let spans = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET') return res.end(String(spans));
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const parsed = JSON.parse(body.toString('utf8'));
      for (const resource of parsed.resourceSpans) for (const scope of resource.scopeSpans) spans += scope.spans.length;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}

// ---------------------------------------------------------------- measured process (child)
const deployment = { id: 'dep-1', modelGroup: 'bench-model', provider: 'openai', upstreamModel: 'gpt-4o-mini', apiBase: 'http://127.0.0.1:1/v1' };
function outcomeOf(index) {
  const startedAt = performance.now() - 1.2;
  return {
    callId: `call-${index}`, operation: 'chat', requestedModel: 'bench-model', modelGroup: 'bench-model', deployment, status: 200, error: null,
    stream: false, startedAt, endedAt: startedAt + 1.2, upstreamMs: 0.9, timeToFirstTokenMs: 0, clientDisconnected: false,
    usage: { promptTokens: 12, completionTokens: 30, totalTokens: 42, cachedPromptTokens: 0, cacheCreationTokens: 0 },
    requestBody: { model: 'bench-model', messages: [{ role: 'user', content: 'hello' }], temperature: 0.5 },
    traceparent: index % 2 === 0 ? '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' : undefined,
  };
}

/** Nanoseconds the main (event-loop) thread has spent on a CPU. */
function loopThreadCpuNs() {
  return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
}

const mb = (bytes) => Math.round(bytes / 1024 / 1024 * 10) / 10;
async function settle() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function received(url) {
  const response = await fetch(url);
  return Number(await response.text());
}

async function runMeasured(dist, sinkUrl, kind) {
  const load = (path) => import(pathToFileURL(resolve(dist, path)).href);
  const { Registry } = await import('prom-client');
  const { createMetricSet } = await load('metrics/metric-set.js');
  const { CallbackQueue } = await load('callbacks/callback-queue.js');
  const { createOtelCallback } = await load('callbacks/otel.js');
  await load('callbacks/callback-registry.js');
  await settle();
  const idle = process.memoryUsage();
  const metrics = createMetricSet(new Registry());
  const counters = { dropped: metrics.callbackDropped.labels('otel'), failed: metrics.callbackFailures.labels('otel') };
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_SERVICE_NAME: 'bench' };
  // `noop`: the same queue and payload build with a sink that does nothing: the harness's own cost, to subtract.
  const callback = kind === 'noop' ? { name: 'noop', maxBatchSize: 512, send: async () => {} } : createOtelCallback('otel', { env, settings: null, counters });
  const queue = new CallbackQueue(callback, counters, true);
  let sent = 0;
  async function round(records) {
    const target = sent + records;
    const perTick = Math.round(RATE_PER_S * TICK_MS / 1000);
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const thread0 = loopThreadCpuNs();
    while (sent < target) {
      const end = Math.min(target, sent + perTick);
      for (; sent < end; sent++) queue.push(outcomeOf(sent));
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
    while (kind !== 'noop' && (await received(sinkUrl)) < target) await new Promise((r) => setTimeout(r, 100));
    while (queue.pending > 0) await new Promise((r) => setTimeout(r, 100));
    const elu = performance.eventLoopUtilization(elu0);
    const cpu = process.cpuUsage(cpu0);
    const threadNs = loopThreadCpuNs() - thread0;
    return { threadUs: threadNs / 1000 / records, loopUs: (elu.active * 1000) / records, cpuUs: (cpu.user + cpu.system) / records };
  }
  await round(2_000); // warm-up (and, with the SDK, the lazy import)
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round(RECORDS_PER_ROUND));
  await settle();
  const loaded = process.memoryUsage();
  await queue.drain(5_000);
  const median = (key) => rounds.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
  const dropped = counters.dropped.value;
  const failed = counters.failed.value;
  process.send({
    threadUs: median('threadUs'), loopUs: median('loopUs'), cpuUs: median('cpuUs'), threadAll: rounds.map((r) => r.threadUs.toFixed(1)).join(' '),
    rssIdle: mb(idle.rss), heapIdle: mb(idle.heapUsed), rssLoaded: mb(loaded.rss), heapLoaded: mb(loaded.heapUsed), dropped, failed,
  }, () => process.exit(0));
}

// ---------------------------------------------------------------- orchestration (parent)
function child(args) {
  const profile = process.env.BENCH_CPU_PROF !== undefined && args[0] === 'measured' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const proc = fork(new URL(import.meta.url), args, { execArgv: ['--expose-gc', '--max-semi-space-size=2', ...profile], env: { ...process.env, SLUICE_LOG_LEVEL: 'silent' } });
  const first = new Promise((resolve_, reject) => {
    proc.once('message', resolve_);
    proc.once('exit', (code) => reject(new Error(`child ${args.join(' ')} exited ${code}`)));
    proc.once('message', () => proc.removeAllListeners('exit'));
  });
  return { proc, first };
}

async function main() {
  const dists = process.argv.slice(2);
  if (dists.length === 0) dists.push('dist');
  console.log(`bench/otel.mjs: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`method: ${ROUNDS} rounds × ${RECORDS_PER_ROUND} records at ${RATE_PER_S}/s through CallbackQueue → otel callback → local OTLP/HTTP receiver (separate process); median per record`);
  const runs = [[dists[0], 'noop'], ...dists.map((dist) => [dist, 'otel'])];
  for (const [dist, kind] of runs) {
    const receiver = child(['receiver']);
    const { port } = await receiver.first;
    const measured = child(['measured', dist, `http://127.0.0.1:${port}`, kind]);
    const result = await measured.first;
    if (measured.proc.exitCode === null) await new Promise((r) => measured.proc.once('exit', r));
    receiver.proc.kill();
    console.log(kind === 'noop' ? `harness only (no-op callback, ${dist}):` : `${dist}:`);
    console.log(`  event-loop thread CPU per record ${result.threadUs.toFixed(1)} µs (rounds: ${result.threadAll}); process CPU ${result.cpuUs.toFixed(1)} µs; loop active ${result.loopUs.toFixed(1)} µs`);
    console.log(`  RSS idle (callbacks module loaded, otel not configured) ${result.rssIdle} MB, heap ${result.heapIdle} MB`);
    console.log(`  RSS with otel after ${RECORDS_PER_ROUND * ROUNDS + 2_000} records ${result.rssLoaded} MB, heap ${result.heapLoaded} MB; dropped ${result.dropped}, failed sends ${result.failed}`);
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'receiver') runReceiver();
else if (mode === 'measured') runMeasured(rest[0], rest[1], rest[2]).catch((error) => { console.error(error); process.exit(1); });
else main().then(() => process.exit(0));
