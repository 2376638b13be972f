// Instructions executed per request, counted by valgrind (callgrind), for the bare proxy and Sluice: a measure that
// does not move with the machine's load. On the shared VMs the closed-loop CPU per request of one build moved by up
// to 1.5x between runs minutes apart; the same build's instruction count moves by a few percent (JIT timing, GC
// timing). It counts user-space instructions of every thread of the process under test (event loop, the spend write
// thread, V8's compiler and GC helpers), not the kernel's work for its system calls (which the bare proxy and Sluice
// share: two reads and two writes per request) nor cache misses: a lower count is less work, not a measured time.
//
// Method: the target runs under `valgrind --tool=callgrind --separate-threads=yes`; WARM requests (concurrency 20,
// one keep-alive pool for both phases) let V8 tier the hot code up; the counters are zeroed (`callgrind_control -z`), COUNT more
// requests run, the counters are dumped, and each thread's total is divided by COUNT. Targets (BENCH_TARGETS):
//   bare        bench/bare-proxy.mjs
//   sluice      dist/cli.js, master key, spend logs on SQLite (what `npm run bench` runs)
//   governance  dist/cli.js, a virtual key with rpm/tpm/budget limits, spend logs on SQLite (bench/governance-load.mjs)
//   minimal     dist/cli.js, no key, no spend logs
// Usage: npm run build && node bench/instructions.mjs          (about 4 minutes per target; needs valgrind)
//        BENCH_TARGETS=bare,governance BENCH_WARM=20000 BENCH_COUNT=3000 node bench/instructions.mjs
//        BENCH_SLUICE_DIST=/path/to/other/dist: measure another build (A/B); the event loop's count is the steadiest
//        column (the helpers' moves with when V8 compiles and collects)
//        BENCH_NODE_FLAGS="--perf-basic-prof": extra node flags for every target; with that one V8 writes
//        /tmp/perf-PID.map, which names the JIT code in the callgrind files (kept in the printed directory)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { Pool } from 'undici';
import { killAllChildren, startChild, stopChild, waitForLog } from './lib/children.mjs';
import { CHAT_PATH, MODEL, chatBody, chatHeaders } from './lib/workload.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
/** Another build's dist/ (an A/B against a copy of an older build); its node_modules must resolve from there. */
const SLUICE_DIST = resolvePath(process.env.BENCH_SLUICE_DIST ?? join(ROOT, 'dist'));
const TARGETS = (process.env.BENCH_TARGETS ?? 'bare,sluice,governance').split(',').map((t) => t.trim()).filter(Boolean);
const WARM = Number(process.env.BENCH_WARM ?? 10_000);
const COUNT = Number(process.env.BENCH_COUNT ?? 3_000);
const CONCURRENCY = 20;
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const MASTER_KEY = 'sk-bench-master';
const VIRTUAL_KEY = 'sk-bench-virtual-key';

if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('valgrind not found: apt-get install valgrind');
  process.exit(2);
}
for (const target of TARGETS) {
  if (!['bare', 'sluice', 'governance', 'minimal'].includes(target)) throw new Error(`unknown target ${target}`);
  if (target !== 'bare' && !existsSync(join(SLUICE_DIST, 'cli.js'))) throw new Error('dist/cli.js not found: npm run build first');
}

const dir = mkdtempSync(join(tmpdir(), 'sluice-instructions-'));
process.on('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(1));

function modelList(mockOrigin) {
  return ['model_list:', `  - model_name: ${MODEL}`, '    litellm_params:', '      model: openai/gpt-4o-mini', `      api_base: ${mockOrigin}/v1`, '      api_key: sk-bench'];
}

/** Config file, environment and bearer key of a Sluice target. */
async function sluiceSetup(target, mockOrigin) {
  const config = join(dir, `${target}.yaml`);
  const database = `sqlite://${join(dir, `${target}.db`)}`;
  if (target === 'minimal') {
    writeFileSync(config, [...modelList(mockOrigin), 'general_settings:', '  disable_spend_logs: true', ''].join('\n'));
    return { config, env: { DATABASE_URL: database }, key: 'unused' };
  }
  writeFileSync(config, [...modelList(mockOrigin), 'general_settings:', `  master_key: ${MASTER_KEY}`, '  proxy_batch_write_at: 10', ''].join('\n'));
  if (target === 'sluice') return { config, env: { DATABASE_URL: database }, key: MASTER_KEY };
  // As bench/governance-load.mjs: one key with limits far above the load (imported here: it needs a built dist/).
  const { seedGovernanceDatabase } = await import('./lib/governance-db.mjs');
  await seedGovernanceDatabase(database, VIRTUAL_KEY);
  return { config, env: { DATABASE_URL: database }, key: VIRTUAL_KEY };
}

/** `count` requests over `pool`; the same pool (and connections) serves warm-up and count: no new sockets in between. */
async function fire(pool, key, count) {
  const body = chatBody(false);
  const headers = chatHeaders(key);
  let sent = 0;
  let failed = 0;
  const worker = async () => {
    while (sent < count) {
      sent++;
      const res = await pool.request({ path: CHAT_PATH, method: 'POST', headers, body });
      await res.body.dump();
      if (res.statusCode !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (failed > 0) throw new Error(`${failed} of ${count} requests failed`);
}

/** Each thread's instruction total from the dumped files, grouped: event loop, worker threads, V8/libuv helpers. */
function threadTotals(prefix) {
  const groups = { eventLoop: 0, workers: 0, helpers: 0 };
  for (const name of readdirSync(dir).filter((file) => file.startsWith(`${prefix}.1-`))) {
    const text = readFileSync(join(dir, name), 'utf8');
    const total = Number(/^(?:summary|totals): (\d+)/m.exec(text)?.[1] ?? 0);
    if (name.endsWith('-01')) groups.eventLoop += total;
    else if (text.includes('node::worker::Worker::Run')) groups.workers += total;
    else groups.helpers += total;
  }
  return groups;
}

async function measure(target, mockOrigin) {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const out = join(dir, `cg-${target}`);
  const valgrind = ['--tool=callgrind', '--separate-threads=yes', '--smc-check=all-non-file', `--callgrind-out-file=${out}.%p`, '--dump-line=no'];
  let args;
  let env = { ...process.env, BENCH_CHILD: '1' };
  let key = MASTER_KEY;
  if (target === 'bare') {
    args = [...valgrind, process.execPath, ...NODE_FLAGS, join(ROOT, 'bench/bare-proxy.mjs'), mockOrigin, String(port)];
  } else {
    const setup = await sluiceSetup(target, mockOrigin);
    key = setup.key;
    env = { ...env, ...setup.env, MALLOC_ARENA_MAX: '2' };
    args = [...valgrind, process.execPath, ...NODE_FLAGS, '--max-semi-space-size=2', join(SLUICE_DIST, 'cli.js'), '--config', setup.config, '--host', '127.0.0.1', '--port', String(port)];
  }
  // Run in the scratch directory: V8's log files (written with --perf-basic-prof) land there, not in the checkout.
  const child = startChild({ name: target, cmd: 'valgrind', args, core: null, logFile: join(dir, `${target}.log`), env, cwd: dir });
  await waitForLog(child, /listening on http/, 300_000);
  const origin = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const pool = new Pool(origin, { connections: CONCURRENCY });
  await fire(pool, key, WARM);
  const pid = String(child.pid);
  execFileSync('callgrind_control', ['-z', pid], { stdio: 'ignore' });
  await fire(pool, key, COUNT);
  execFileSync('callgrind_control', ['-d', pid], { stdio: 'ignore' });
  await pool.close();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const totals = threadTotals(`cg-${target}.${pid}`);
  await stopChild(child, 5000);
  process.stderr.write(`  ${target}: ${Math.round((Date.now() - started) / 1000)} s under valgrind\n`);
  return totals;
}

const mock = startChild({ name: 'mock', cmd: process.execPath, args: [join(ROOT, 'bench/mock-process.mjs')], core: null, logFile: join(dir, 'mock.log'), env: { ...process.env, BENCH_CHILD: '1' } });
const mockOrigin = (await waitForLog(mock, /listening on (http:\/\/\S+)/, 15_000))[1];

console.log('Method');
console.log(`  workload    POST ${CHAT_PATH}, model ${MODEL}, ~1 KB body, non-stream; ${WARM} warm-up requests, then ${COUNT} counted (concurrency ${CONCURRENCY}, keep-alive)`);
console.log('  count       valgrind --tool=callgrind --separate-threads=yes: user-space instructions of every thread of the target ÷ requests');
console.log(`Machine: ${os.cpus()[0]?.model.trim()}, ${os.cpus().length} cores, Node ${process.version}, ${execFileSync('valgrind', ['--version']).toString().trim()}`);
console.log(`Callgrind files: ${dir}${NODE_FLAGS.length > 0 ? ` (node flags: ${NODE_FLAGS.join(' ')})` : ''}`);
console.log('');
console.log('  target      instructions/req  event loop  worker threads  V8/libuv helpers');
const results = {};
for (const target of TARGETS) {
  const t = await measure(target, mockOrigin);
  const per = (n) => Math.round(n / COUNT);
  const total = per(t.eventLoop + t.workers + t.helpers);
  results[target] = { total, eventLoop: per(t.eventLoop), workers: per(t.workers), helpers: per(t.helpers) };
  console.log(`  ${target.padEnd(10)}  ${String(total).padStart(16)}  ${String(per(t.eventLoop)).padStart(10)}  ${String(per(t.workers)).padStart(14)}  ${String(per(t.helpers)).padStart(16)}`);
}
if (results.bare !== undefined) {
  for (const target of TARGETS.filter((t) => t !== 'bare')) console.log(`  ${target} / bare: ×${(results[target].total / results.bare.total).toFixed(2)} (throughput ≥ 75% of bare needs ≤ ×1.33 of its CPU)`);
}
await stopChild(mock);
