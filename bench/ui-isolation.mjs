// Does the admin UI slow the data plane? One `sluice --role all` gateway (SQLite, master key) takes 1,000 req/s
// (open loop, bench/loadgen.mjs in its own process) while this process loads the Usage and Logs pages' data in a
// loop (/spend/logs/ui + /user/daily/activity + /team/daily/activity, one at a time) through the same port. Quiet
// and loaded windows alternate so machine noise hits both; reports p50/p90/p99 of each and the differences of the
// medians (issue 8's target: p99 +0.5 ms). The control plane runs in its own process unless SLUICE_CONTROL_PROCESS=0.
// Usage: npm run build && node bench/ui-isolation.mjs [windows=3] [seconds=5] [uiLoadsPerSecond=0 (unthrottled)]
//        BENCH_DATABASE_URL=postgres://… selects Postgres (use an empty database). BENCH_PIN=1 (needs taskset) pins
//        the gateway's data-plane process to core 0 and everything else (its control-plane child, the mock, the load
//        generator, this UI loop) to core 1: what a machine with a spare core gives a separate control process.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { cpuMicros } from './lib/proc-stats.mjs';
import { join } from 'node:path';

const WINDOWS = Number(process.argv[2] ?? 3);
const SECONDS = Number(process.argv[3] ?? 5);
const UI_RATE = Number(process.argv[4] ?? 0);
const MASTER = 'sk-bench-master';
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sluice-ui-iso-'));
const PIN = process.env.BENCH_PIN === '1' && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** `node ARGS`, under `taskset -c CORE` when pinning. */
function spawnNode(args, core, options) {
  return PIN ? spawn('taskset', ['-c', String(core), process.execPath, ...args], options) : spawn(process.execPath, args, options);
}

function pin(pid, core) {
  if (PIN) spawnSync('taskset', ['-pc', String(core), String(pid)], { stdio: 'ignore' });
}

function start(args, core, env = {}) {
  const child = spawnNode([cli, ...args], core, { env: { ...process.env, SLUICE_LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const port = /(?:listening on|http:\/\/)[^\n]*?:(\d+)/.exec(out)?.[1];
      if (port !== undefined) resolve({ child, port: Number(port), controlPid: Number(/control plane \(management API, UI\) in process (\d+)/.exec(out)?.[1] ?? 0) });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

/**
 * The gateway and, in alternating 1 s slices of the same window, the mock called directly: on two cores the mock and
 * the load generator share core 1 with the UI loop and the control plane, so their own delay shows in every latency;
 * the gateway's added latency (gateway − direct, as bench/run.mjs reports it) is what the data plane itself adds.
 */
function loadgen(origin, cpuPid, directOrigin) {
  const targets = [{ name: 'sluice', origin, cpuPid }];
  if (directOrigin !== undefined) targets.push({ name: 'direct', origin: directOrigin });
  const cfg = {
    mode: 'open', rate: 1000, warmupS: 1, durationS: SECONDS, sliceS: 1, targets, // 1 s per target to open connections: each window is a new generator process
    headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'hello' }] }),
  };
  const child = spawnNode([new URL('./loadgen.mjs', import.meta.url).pathname, JSON.stringify(cfg)], 1, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  return new Promise((resolve) => child.on('exit', () => {
    const results = JSON.parse(out.trim().split('\n').pop()).targets;
    resolve({ ...results[0], direct: results[1] ?? null });
  }));
}

async function uiLoop(origin, state) {
  const today = new Date().toISOString().slice(0, 10);
  const paths = ['/spend/logs/ui?page=1&page_size=25', `/user/daily/activity?start_date=${today}&end_date=${today}`, `/team/daily/activity?start_date=${today}&end_date=${today}`, '/spend/logs/ui?page=3&page_size=25&model=bench-model'];
  while (state.running) {
    const response = await fetch(`${origin}${paths[state.loads % paths.length]}`, { headers: { authorization: `Bearer ${MASTER}` } });
    await response.arrayBuffer();
    state.loads++;
    if (UI_RATE > 0) await new Promise((resolve) => setTimeout(resolve, 1000 / UI_RATE));
  }
}

pin(process.pid, 1);
const mock = await start(['mock', '--port', '0', '--host', '127.0.0.1'], 1);
const config = join(dir, 'config.yaml');
writeFileSync(config, `model_list:\n  - model_name: bench-model\n    litellm_params:\n      model: openai/gpt-4o\n      api_base: http://127.0.0.1:${mock.port}/v1\n      api_key: x\ngeneral_settings:\n  master_key: ${MASTER}\n  proxy_batch_write_at: 1\n`);
const sluice = await start(['--config', config, '--port', '0', '--host', '127.0.0.1', '--role', 'all'], 0, { DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `sqlite://${join(dir, 'sluice.db')}` });
// The control child inherits core 0 from its parent; move it next to the load generator.
if (sluice.controlPid > 0) pin(sluice.controlPid, 1);
const origin = `http://127.0.0.1:${sluice.port}`;
const dataPid = sluice.child.pid; // taskset execs node: the same pid
await loadgen(origin, dataPid); // warm-up, and spend logs for the UI to read
const rows = { quiet: [], ui: [] };
for (let w = 0; w < WINDOWS; w++) {
  for (const phase of w % 2 === 0 ? ['quiet', 'ui'] : ['ui', 'quiet']) {
    const state = { running: phase === 'ui', loads: 0 };
    const loop = phase === 'ui' ? uiLoop(origin, state) : Promise.resolve();
    const control0 = sluice.controlPid > 0 ? cpuMicros(sluice.controlPid) : null;
    const result = await loadgen(origin, dataPid, `http://127.0.0.1:${mock.port}`);
    const control1 = sluice.controlPid > 0 ? cpuMicros(sluice.controlPid) : null;
    state.running = false;
    await loop;
    rows[phase].push({
      p50: result.latencyUs.p50 / 1000, p90: result.latencyUs.p90 / 1000, p99: result.latencyUs.p99 / 1000, errors: result.errorCount, uiLoadsPerS: state.loads / SECONDS,
      // Added over the mock called directly in the same window (null without a direct reference).
      added: Object.fromEntries(['p50', 'p90', 'p99'].map((p) => [p, result.direct === null ? null : (result.latencyUs[p] - result.direct.latencyUs[p]) / 1000])),
      direct: result.direct === null ? null : { p50: result.direct.latencyUs.p50 / 1000, p99: result.direct.latencyUs.p99 / 1000 },
      // CPU seconds per second of the data-plane process (and of the control child), over the measured window.
      dataCpu: result.cpuUs == null ? null : result.cpuUs / 1e6 / SECONDS,
      controlCpu: control0 == null || control1 == null ? null : (control1 - control0) / 1e6 / SECONDS,
    });
  }
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const arrangement = sluice.controlPid > 0 ? `control plane in its own process (pid ${sluice.controlPid})` : 'control plane in the data-plane process';
const pinning = PIN ? 'pinned: data plane on core 0, the rest on core 1' : 'unpinned';
console.log(`# ${arrangement}; ${process.env.BENCH_DATABASE_URL?.startsWith('postgres') ? 'Postgres' : 'SQLite'}; ${WINDOWS} windows x ${SECONDS} s per phase; UI ${UI_RATE > 0 ? `paced at ${UI_RATE}/s` : 'unthrottled'}; ${pinning}`);
console.log(`# machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average at the end ${loadavg().map((n) => n.toFixed(1)).join(' ')}, node ${process.version}`);
const cpuText = (value) => (value == null ? '?' : value.toFixed(2));
for (const phase of ['quiet', 'ui']) {
  for (const r of rows[phase]) {
    const control = sluice.controlPid > 0 ? `  control CPU ${cpuText(r.controlCpu)} s/s` : '';
    const added = r.added.p50 === null ? '' : `  added p50/p99 ${r.added.p50.toFixed(2)}/${r.added.p99.toFixed(2)} ms (direct p50/p99 ${r.direct.p50.toFixed(2)}/${r.direct.p99.toFixed(2)})`;
    console.log(`${phase.padEnd(5)} p50 ${r.p50.toFixed(2)} ms  p90 ${r.p90.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms${added}  errors ${r.errors}  data-plane CPU ${cpuText(r.dataCpu)} s/s${control}${phase === 'ui' ? `  UI page loads/s ${r.uiLoadsPerS.toFixed(0)}` : ''}`);
  }
}
for (const p of ['p50', 'p90', 'p99']) {
  const q = median(rows.quiet.map((r) => r[p]));
  const u = median(rows.ui.map((r) => r[p]));
  console.log(`median ${p}: quiet ${q.toFixed(2)} ms, with UI loading ${u.toFixed(2)} ms, difference ${(u - q).toFixed(2)} ms`);
}
for (const p of ['p50', 'p99']) {
  if (rows.quiet.some((r) => r.added[p] === null)) break;
  const q = median(rows.quiet.map((r) => r.added[p]));
  const u = median(rows.ui.map((r) => r.added[p]));
  console.log(`median added ${p} (gateway − direct): quiet ${q.toFixed(2)} ms, with UI loading ${u.toFixed(2)} ms, difference ${(u - q).toFixed(2)} ms`);
}
const loads = median(rows.ui.map((r) => r.uiLoadsPerS));
console.log(`median UI page loads/s: ${loads.toFixed(0)}`);
// What one page load costs the data-plane process in CPU: hardly disturbed by other processes' noise, unlike latency.
if (rows.ui.every((r) => r.dataCpu != null) && loads > 0) {
  const extra = median(rows.ui.map((r) => r.dataCpu)) - median(rows.quiet.map((r) => r.dataCpu));
  console.log(`data-plane CPU: quiet ${median(rows.quiet.map((r) => r.dataCpu)).toFixed(3)} s/s, with UI loading ${median(rows.ui.map((r) => r.dataCpu)).toFixed(3)} s/s, i.e. ${((extra * 1e3) / loads).toFixed(3)} ms of data-plane CPU per UI page load`);
}
// The same UI loop without LLM traffic: what a page load costs each process in CPU, with little else running
// (each process's idle CPU over an equal window, measured first, is subtracted).
{
  const sample = () => [cpuMicros(dataPid), sluice.controlPid > 0 ? cpuMicros(sluice.controlPid) : null];
  const idle0 = sample();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const idle1 = sample();
  const cpu0 = sample();
  const state = { running: true, loads: 0 };
  const loop = uiLoop(origin, state);
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  state.running = false;
  await loop;
  const cpu1 = sample();
  const per = (i) => (cpu0[i] == null || cpu1[i] == null ? 'n/a' : `${((cpu1[i] - cpu0[i] - (idle1[i] - idle0[i])) / 1e3 / state.loads).toFixed(3)} ms`);
  console.log(`UI alone: ${state.loads} page loads in ${SECONDS} s; CPU per page load: data-plane process ${per(0)}, control process ${per(1)}`);
}
sluice.child.kill('SIGTERM');
mock.child.kill('SIGTERM');
