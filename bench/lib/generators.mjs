// Runs the load generators as pinned child processes: bench/loadgen.mjs (open and closed loop) and wrk (closed loop).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild } from './children.mjs';
import { cpuMicros, threadCpuMicros } from './proc-stats.mjs';
import { CHAT_PATH, chatBody, chatHeaders } from './workload.mjs';
import { parseWrk, wrkArgs, writeWrkScript } from './wrk.mjs';

export const LOAD_CORE = 1;
const LOADGEN = new URL('../loadgen.mjs', import.meta.url).pathname;

/**
 * bench/loadgen.mjs over `targets` ([{ name, origin, cpuPid }]); resolves to its per-target results.
 * `expectedS` bounds the run: it is killed after twice that plus 30 s.
 */
export async function runLoadgen(ctx, options, label, expectedS) {
  const { s } = ctx;
  const config = { path: CHAT_PATH, headers: chatHeaders(s.apiKey), body: chatBody(options.stream), timeoutMs: 10_000, ...options };
  const out = await runToEnd(ctx, 'loadgen', process.execPath, [LOADGEN, JSON.stringify(config)], label, 2 * expectedS + 30);
  return JSON.parse(out.trim().split('\n').pop()).targets;
}

/** Closed loop with wrk: a 1 s warm-up per target, then 1 s rounds rotating over the targets. */
export async function runWrkRounds(ctx, targets, stream, mode) {
  const { s, tmpDir } = ctx;
  const rounds = Math.max(1, Math.round(s.throughputS));
  const prepared = targets.map((t) => ({
    ...t, url: `${t.origin}${CHAT_PATH}`, rounds: [],
    script: writeWrkScript(tmpDir, `${t.name}-${mode}`, chatBody(stream), chatHeaders(s.apiKey)),
  }));
  for (const t of prepared) await wrkOnce(ctx, t, `${t.name}-${mode}-wrk-warmup`);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < prepared.length; k++) {
      const t = prepared[(round + k) % prepared.length];
      t.rounds.push(await wrkOnce(ctx, t, `${t.name}-${mode}-wrk`));
    }
  }
  return prepared.map(({ name, rounds: r }) => ({ name, connections: s.connections, rounds: r }));
}

async function wrkOnce(ctx, t, label) {
  const args = wrkArgs({ url: t.url, script: t.script, connections: ctx.s.connections, seconds: 1 });
  const cpu0 = t.cpuPid ? cpuMicros(t.cpuPid) : null;
  const threads0 = t.cpuPid ? threadCpuMicros(t.cpuPid) : null;
  const text = await runToEnd(ctx, 'wrk', 'wrk', args, label, 30);
  const cpu1 = t.cpuPid ? cpuMicros(t.cpuPid) : null;
  const threads1 = t.cpuPid ? threadCpuMicros(t.cpuPid) : null;
  // Threads that ended within the round drop out of the second reading; the split is informative, the total exact.
  const threadsUs = threads0 && threads1 ? { loop: threads1.loop - threads0.loop, niced: threads1.niced - threads0.niced, helpers: Math.max(0, threads1.helpers - threads0.helpers) } : null;
  const complaints = readFileSync(join(ctx.logDir, `${label}.stderr.log`), 'utf8').trim();
  if (complaints) throw new Error(`wrk: ${complaints}`);
  const parsed = parseWrk(text);
  // wrk's own clock: requests ÷ Requests/sec is the time it measured over.
  const wallS = parsed.rps > 0 ? parsed.requests / parsed.rps : 1;
  return { ok: parsed.requests - parsed.errorCount, wallS, rps: parsed.rps, errors: parsed.errors, cpuUs: cpu0 == null || cpu1 == null ? null : cpu1 - cpu0, threadsUs };
}

/** Runs a generator pinned to the load core, bounded by `limitS`; resolves to its stdout, rejects on failure. */
function runToEnd({ s, logDir }, name, cmd, args, label, limitS) {
  const child = startChild({
    name, cmd, args, core: s.pin ? LOAD_CORE : null, pipeStdout: true,
    logFile: join(logDir, `${label}.stderr.log`), env: { ...process.env, BENCH_CHILD: '1' },
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    out += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), limitS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${name} (${label}) exited with ${signal ?? code}; see ${child.logFile}`));
    });
  });
}

/** Folds closed-loop rounds into one result: the median round's req/s is the number reported. */
export function foldRounds(generator, { connections, rounds }) {
  const rps = rounds.map((r) => r.rps).sort((a, b) => a - b);
  const errors = {};
  for (const r of rounds) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  const cpuKnown = rounds.every((r) => r.cpuUs != null);
  const wallS = rounds.reduce((a, r) => a + r.wallS, 0);
  const cpuUs = cpuKnown ? rounds.reduce((a, r) => a + r.cpuUs, 0) : null;
  const ok = rounds.reduce((a, r) => a + r.ok, 0);
  const split = rounds.every((r) => r.threadsUs) && ok > 0
    ? Object.fromEntries(['loop', 'niced', 'helpers'].map((kind) => [kind, rounds.reduce((a, r) => a + r.threadsUs[kind], 0) / ok]))
    : null;
  return {
    generator, connections, rounds: rounds.length, rps: median(rps), rpsMin: rps[0], rpsMax: rps[rps.length - 1],
    ok: rounds.reduce((a, r) => a + r.ok, 0), errors, errorCount: Object.values(errors).reduce((a, b) => a + b, 0),
    wallS, cpuUs, proxyBusy: cpuUs == null || cpuUs === 0 ? null : cpuUs / (wallS * 1e6),
    cpuUsPerReq: cpuUs == null || cpuUs === 0 ? null : cpuUs / ok, cpuUsPerReqByThread: split, perRound: rounds,
  };
}

function median(sorted) {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}
