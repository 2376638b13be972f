// Load generator on undici in its own (pinnable) process. Open loop: a fixed rate to each target in turn, in short
// interleaved slices, latency measured from each request's *scheduled* send time (no coordinated omission). Closed
// loop: N connections, each sending the next request when the last one ends, for max throughput, also in rounds.
// Usage: node bench/loadgen.mjs '<json config>'  → one JSON result line on stdout. See bench/README.md.
import { Pool } from 'undici';
import { summarize } from './lib/histogram.mjs';
import { cpuMicros } from './lib/proc-stats.mjs';
import { Ticker, clockMs } from './lib/ticker.mjs';

const cfg = {
  mode: 'open', // 'open' | 'closed'
  targets: [], // [{ name, origin, cpuPid }]: cpuPid's CPU time is sampled at the edges of each measured window
  path: '/v1/chat/completions', headers: {}, body: '', stream: false,
  rate: 1000, warmupS: 2, durationS: 10, sliceS: 1, // open loop: durationS per target, in slices of sliceS
  connections: 50, // closed loop (the open loop uses a pool of up to 256 per target)
  timeoutMs: 10_000,
  ...JSON.parse(process.argv[2] ?? '{}'),
};
for (const t of cfg.targets) if (new URL(t.origin).hostname !== '127.0.0.1') throw new Error(`loadgen targets 127.0.0.1 only, got ${t.origin}`);
if (cfg.targets.length === 0) throw new Error('no targets');
if (!(cfg.rate > 0 && cfg.rate <= 100_000)) throw new Error(`rate out of range: ${cfg.rate}`);
if (!(cfg.durationS > 0 && cfg.durationS <= 600)) throw new Error(`duration out of range: ${cfg.durationS}`);

const body = Buffer.from(cfg.body);
const request = { path: cfg.path, method: 'POST', headers: { ...cfg.headers, 'content-length': String(body.length) }, body };

/** One request's timing and outcome; `done(probe, errorKind|null, endMs)` is called exactly once. */
class Probe {
  constructor(scheduledMs, done) {
    this.scheduledMs = scheduledMs;
    this.firstByteMs = 0;
    this.status = 0;
    this.tail = '';
    this.done = done;
  }
  onRequestStart() {}
  onResponseStart(_controller, statusCode) {
    this.status = statusCode;
  }
  onResponseData(_controller, chunk) {
    if (this.firstByteMs === 0) this.firstByteMs = clockMs();
    if (cfg.stream) this.tail = (this.tail + chunk.toString('latin1')).slice(-64);
  }
  onResponseEnd() {
    const end = clockMs();
    if (this.status < 200 || this.status >= 300) return this.done(this, `http_${this.status}`, end);
    if (cfg.stream && !this.tail.includes('[DONE]')) return this.done(this, 'stream_without_DONE', end);
    this.done(this, null, end);
  }
  onResponseError(_controller, err) {
    this.done(this, err.code ?? err.name ?? 'error', clockMs());
  }
}

/** Everything measured for one target across its slices. */
class Sink {
  constructor(capacity) {
    this.latency = new Float64Array(capacity);
    this.ttfb = new Float64Array(capacity);
    this.lag = new Float64Array(capacity);
    this.requested = 0;
    this.sent = 0;
    this.ok = 0;
    this.errors = {};
    this.busyS = 0;
    this.cpuUs = 0;
    this.cpuKnown = true;
  }
  error(kind, count = 1) {
    this.errors[kind] = (this.errors[kind] ?? 0) + count;
  }
}

/** Sends `rate × seconds` requests at fixed intervals from a start time, paced by the ticker; resolves when all ended. */
function openLoop(ticker, target, seconds, sink) {
  const n = Math.max(1, Math.round(cfg.rate * seconds));
  const intervalMs = 1000 / cfg.rate;
  let sent = 0;
  let finished = 0;
  const cpu0 = sampleCpu(target);
  const start = clockMs() + 2;
  sink.requested += n;
  return new Promise((resolve) => {
    let drainTimer = null;
    let resolved = false;
    const finish = () => {
      if (resolved) return;
      resolved = true;
      clearTimeout(drainTimer);
      const cpu1 = sampleCpu(target);
      if (cpu0 == null || cpu1 == null) sink.cpuKnown = false;
      else sink.cpuUs += cpu1 - cpu0;
      sink.busyS += (clockMs() - start) / 1000;
      if (sent > finished) sink.error('unfinished_at_deadline', sent - finished);
      resolve();
    };
    const done = (probe, errorKind, endMs) => {
      if (resolved) return;
      finished++;
      if (errorKind === null) {
        sink.latency[sink.ok] = (endMs - probe.scheduledMs) * 1000;
        sink.ttfb[sink.ok] = (probe.firstByteMs - probe.scheduledMs) * 1000;
        sink.ok++;
      } else sink.error(errorKind);
      if (finished === n) finish();
    };
    ticker.run(start, intervalMs, n, () => {
      const now = clockMs();
      while (sent < n) {
        const at = start + sent * intervalMs;
        if (at > now) break;
        sink.lag[sink.sent++] = (now - at) * 1000;
        sent++;
        target.pool.dispatch(request, new Probe(at, done));
      }
      if (sent === n && drainTimer === null) drainTimer = setTimeout(finish, cfg.timeoutMs + 1000);
    });
  });
}

/** Warm-up per target, then `durationS` per target in slices, the target order rotating each round. */
async function runOpen(targets) {
  const ticker = new Ticker();
  await ticker.ready();
  const slices = Math.max(1, Math.round(cfg.durationS / cfg.sliceS));
  const sliceS = cfg.durationS / slices;
  for (const t of targets) {
    t.sink = new Sink(Math.ceil(cfg.rate * cfg.durationS) + slices + 1);
    if (cfg.warmupS > 0) await openLoop(ticker, t, cfg.warmupS, new Sink(Math.ceil(cfg.rate * cfg.warmupS) + 1));
  }
  for (let round = 0; round < slices; round++) {
    for (let k = 0; k < targets.length; k++) {
      await openLoop(ticker, targets[(round + k) % targets.length], sliceS, targets[(round + k) % targets.length].sink);
    }
  }
  await ticker.stop();
  return targets.map(({ name, sink: s }) => ({
    name, requested: s.requested, sent: s.sent, ok: s.ok, errors: s.errors, errorCount: s.requested - s.ok,
    busyS: s.busyS, okRate: s.ok / s.busyS, slices,
    latencyUs: summarize(s.latency, s.ok), ttfbUs: cfg.stream ? summarize(s.ttfb, s.ok) : null, sendLagUs: summarize(s.lag, s.sent),
    cpuUs: s.cpuKnown && targets.find((t) => t.name === name).cpuPid ? s.cpuUs : null,
  }));
}

/** `connections` workers each send the next request when the previous one ends, for `seconds`; one round's numbers. */
function closedRound(target, seconds) {
  const errors = {};
  let ok = 0;
  let inFlight = 0;
  let stopping = false;
  const cpu0 = sampleCpu(target);
  const t0 = clockMs();
  return new Promise((resolve) => {
    let drainTimer;
    let t1 = 0;
    let cpu1 = null;
    const finish = () => {
      clearTimeout(drainTimer);
      if (inFlight > 0) errors.unfinished_at_deadline = inFlight;
      const wallS = (t1 - t0) / 1000;
      resolve({ ok, wallS, rps: ok / wallS, errors, cpuUs: cpu0 == null || cpu1 == null ? null : cpu1 - cpu0 });
    };
    const done = (_probe, errorKind) => {
      inFlight--;
      if (stopping) {
        if (inFlight === 0) finish();
        return;
      }
      if (errorKind === null) ok++;
      else errors[errorKind] = (errors[errorKind] ?? 0) + 1;
      send();
    };
    const send = () => {
      inFlight++;
      target.pool.dispatch(request, new Probe(clockMs(), done));
    };
    setTimeout(() => {
      t1 = clockMs();
      cpu1 = sampleCpu(target);
      stopping = true;
      drainTimer = setTimeout(finish, cfg.timeoutMs + 1000);
    }, seconds * 1000);
    for (let i = 0; i < cfg.connections; i++) send();
  });
}

/** Warm-up per target, then `durationS` per target in rounds of ~sliceS, the target order rotating each round. */
async function runClosed(targets) {
  const rounds = Math.max(1, Math.round(cfg.durationS / cfg.sliceS));
  const roundS = cfg.durationS / rounds;
  for (const t of targets) {
    t.rounds = [];
    if (cfg.warmupS > 0) await closedRound(t, cfg.warmupS);
  }
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < targets.length; k++) {
      const t = targets[(round + k) % targets.length];
      t.rounds.push(await closedRound(t, roundS));
    }
  }
  return targets.map(({ name, rounds: r }) => ({ name, connections: cfg.connections, rounds: r }));
}

function sampleCpu(target) {
  return target.cpuPid ? cpuMicros(target.cpuPid) : null;
}

async function main() {
  const closed = cfg.mode === 'closed';
  const poolOptions = { connections: closed ? cfg.connections : 256, pipelining: 1, headersTimeout: cfg.timeoutMs, bodyTimeout: cfg.timeoutMs, keepAliveTimeout: 60_000 };
  const targets = cfg.targets.map((t) => ({ ...t, pool: new Pool(t.origin, poolOptions) }));
  const result = { targets: closed ? await runClosed(targets) : await runOpen(targets) };
  process.stdout.write(`${JSON.stringify({ mode: cfg.mode, rate: cfg.rate, stream: cfg.stream, ...result })}\n`);
  await Promise.all(targets.map((t) => t.pool.destroy()));
}

if (process.env.BENCH_CHILD === '1') process.stdin.on('end', () => process.exit(0)).resume();
main().then(() => process.exit(0), (err) => {
  process.stderr.write(`loadgen: ${err?.stack ?? err}\n`);
  process.exit(1);
});
