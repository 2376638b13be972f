// Benchmark: how long one flush of a 100-event `generic_api` batch holds the event loop (the longest gap between two
// turns of other work while the queue builds, encodes and posts it) and its CPU per event.
// Run: npm run build && node bench/callback-flush.mjs [DIST]   (DIST: a built dist/ directory, default ./dist; run
// once per build to compare, e.g. a build of main first). Each round: 100 requests' outcomes (the load bench's ~1 KB chat body) are
// pushed, the full batch flushes to the mock's /v1/callback-sink (another process), and a setImmediate ticker records
// the gaps. The median is the flush's own longest turn; the tail also catches GC pauses and the OS preempting us.
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tasksetAvailable } from './lib/children.mjs';
import { chatBody } from './lib/workload.mjs';

const ROUNDS = 60;
const WARMUP = 20;
const EVENTS = 100;

/** The mock's callback sink in its own process (on core 1 when taskset is there), so its reads are not counted here. */
async function startSink() {
  const script = new URL('./mock-process.mjs', import.meta.url).pathname;
  const [cmd, args] = tasksetAvailable() ? ['taskset', ['-c', '1', process.execPath, script]] : [process.execPath, [script]];
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, BENCH_CHILD: '1' } });
  const line = await new Promise((done, fail) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) done(text);
    });
    child.once('exit', () => fail(new Error(`mock exited: ${text}`)));
  });
  const origin = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
  if (origin === undefined || !line.includes('real')) throw new Error(`the sink needs the built mock (npm run build): ${line}`);
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`the sink exited (${signal ?? code}) before the end`);
  });
  const stop = () => {
    stopping = true;
    child.kill('SIGTERM');
  };
  return { url: `${origin}/v1/callback-sink`, stop };
}

const sink = await startSink();
const sinkUrl = sink.url;

const deployment = { id: 'dep-1', modelGroup: 'bench-model', provider: 'openai', upstreamModel: 'gpt-4o-mini', apiBase: 'http://127.0.0.1:1/v1' };
const requestBody = JSON.parse(chatBody(false));
let serial = 0;
function outcome() {
  const at = performance.now();
  serial++;
  return {
    callId: `chatcmpl-${serial.toString(36).padStart(24, '0')}`, operation: 'chat', requestedModel: 'bench-model', modelGroup: 'bench-model',
    deployment, status: 200, error: null, stream: false, startedAt: at - 1.3, endedAt: at, upstreamMs: 0.9, timeToFirstTokenMs: 0,
    usage: { promptTokens: 212, completionTokens: 30, totalTokens: 242, cachedPromptTokens: 0, cacheCreationTokens: 0 },
    clientDisconnected: false, requestBody, responseCost: 0.000049, endUser: 'bench-user-42', attemptedRetries: 0,
  };
}

async function measure(dist) {
  const load = (path) => import(pathToFileURL(resolve(dist, path)).href);
  const { Registry } = await import('prom-client');
  const { createMetricSet } = await load('metrics/metric-set.js');
  const { CallbackQueue } = await load('callbacks/callback-queue.js');
  const { createGenericApiCallback } = await load('callbacks/generic-api.js');
  const metrics = createMetricSet(new Registry());
  const counters = { dropped: metrics.callbackDropped.labels('bench'), failed: metrics.callbackFailures.labels('bench') };
  const generic = createGenericApiCallback('generic_api', { env: {}, settings: { endpoint: sinkUrl }, counters });
  let onStarted = () => {};
  const callback = {
    name: 'generic_api', maxBatchSize: EVENTS, flushIntervalMs: 3_600_000,
    send: (events) => {
      const sending = generic.send(events);
      onStarted(sending);
      return sending;
    },
  };
  const queue = new CallbackQueue(callback, counters, true);
  /** One flush: push a full batch, resolve when its send has finished. */
  const flush = () => {
    const done = new Promise((resolve) => (onStarted = resolve));
    for (let index = 0; index < EVENTS; index++) queue.push(outcome());
    return done;
  };

  // The longest turn: a setImmediate ticker runs from the push until the send has finished.
  const longest = [];
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    let last = performance.now();
    let gap = 0;
    let running = true;
    const tick = () => {
      const now = performance.now();
      gap = Math.max(gap, now - last);
      last = now;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await flush();
    running = false;
    if (round >= WARMUP) longest.push(gap);
  }
  // CPU per event, without the ticker.
  const cpu0 = process.cpuUsage();
  for (let round = 0; round < ROUNDS; round++) await flush();
  const cpu = process.cpuUsage(cpu0);
  if (counters.failed.value > 0) throw new Error(`${dist}: ${counters.failed.value} sends failed`);
  longest.sort((a, b) => a - b);
  return { median: longest[longest.length >> 1], p90: longest[Math.floor(longest.length * 0.9)], max: longest.at(-1), cpuUsPerEvent: (cpu.user + cpu.system) / (ROUNDS * EVENTS) };
}

const dists = process.argv.length > 2 ? process.argv.slice(2) : ['dist'];
console.log(`bench/callback-flush.mjs: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`method: ${ROUNDS} rounds (after ${WARMUP} warm-up) of one ${EVENTS}-event generic_api flush to the mock's callback sink (another process); longest gap between two setImmediate turns during the flush`);
for (const dist of dists) {
  const r = await measure(dist);
  console.log(`${dist}: longest turn median ${r.median.toFixed(2)} ms, p90 ${r.p90.toFixed(2)} ms, max ${r.max.toFixed(2)} ms; process CPU ${r.cpuUsPerEvent.toFixed(1)} µs/event (outcomes made, payloads built, encoded, posted)`);
}
sink.stop();
process.exit(0);
