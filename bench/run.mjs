// `npm run bench`: the same open-loop workload direct to the mock, through the bare proxy and through Sluice,
// non-stream and stream, reporting added latency, max throughput, CPU per request and peak RSS. See bench/README.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { killChildrenOnExit, stopChild } from './lib/children.mjs';
import { LOAD_CORE, foldRounds, runLoadgen, runWrkRounds } from './lib/generators.mjs';
import { machineBusyMicros, machineStealMicros, peakRssBytes, rssBytes, selfAndChildrenMicros } from './lib/proc-stats.mjs';
import { checkLine, checks, generatorLine, machineInfo, machineLines, methodLines, modeTable, noiseLine } from './lib/report.mjs';
import { readSettings } from './lib/settings.mjs';
import { probe, startBare, startMock, startSluice } from './lib/targets.mjs';

const s = readSettings();
const tmpDir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
killChildrenOnExit(() => rmSync(tmpDir, { recursive: true, force: true }));
const logDir = new URL('results/logs', import.meta.url).pathname;
rmSync(logDir, { recursive: true, force: true }); // logs are per run
mkdirSync(logDir, { recursive: true });
const ctx = { s, tmpDir, logDir };

const throughputGenerator = s.wrk
  ? `wrk ${s.wrk} -t1 -c${s.connections} -d1s rounds (core ${LOAD_CORE})`
  : `bench/loadgen.mjs closed loop, ${s.connections} connections (undici${s.generator === 'auto' ? '; wrk not installed' : ''})`;

const machine = machineInfo();
const noise0 = { t: performance.now(), machine: machineBusyMicros(), ours: selfAndChildrenMicros(), steal: machineStealMicros() };
const mock = await startMock(s, logDir);
for (const line of [...methodLines(s, mock.kind, throughputGenerator), ...machineLines(machine), '']) console.log(line);

const results = {};
for (const mode of s.modes) results[mode] = await benchMode(mode);

await stopChild(mock.child);
// Whatever the machine was busy with beyond this bench and its (now reaped) children: the other tenants' noise.
const noise = {
  wallS: (performance.now() - noise0.t) / 1000,
  otherCores: Math.max(0, machineBusyMicros() - noise0.machine - (selfAndChildrenMicros() - noise0.ours)) / ((performance.now() - noise0.t) * 1000),
  stealCores: Math.max(0, machineStealMicros() - noise0.steal) / ((performance.now() - noise0.t) * 1000),
};

console.log('');
const allChecks = [];
for (const mode of s.modes) {
  for (const line of modeTable(mode, results[mode])) console.log(line);
  console.log('');
  allChecks.push(...checks(mode, results[mode], s.rate));
}
for (const c of allChecks) console.log(checkLine(c));
console.log(noiseLine(noise, machine.cores));
console.log(generatorLine(results));

mkdirSync(dirname(s.out), { recursive: true });
const report = {
  version: 1, finishedAt: new Date().toISOString(), machine, mock: mock.kind, throughputGenerator,
  settings: { ...s, out: undefined }, noise, results, checks: allChecks,
};
writeFileSync(s.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nJSON: ${s.out}  (child logs: ${logDir})`);
process.exit(0);

/**
 * One mode: start the proxies; run the open loop, then the closed loop, over all targets in interleaved slices (so
 * the machine's noise lands on every target alike); read each proxy's resources; stop the proxies.
 */
async function benchMode(mode) {
  const stream = mode === 'stream';
  const out = {};
  const live = [];
  try {
    for (const name of s.targets) {
      progress(`${mode}: starting ${name}`);
      try {
        const proxy = await startTarget(name, mode);
        await probe(proxy?.origin ?? mock.origin, s.apiKey, stream);
        live.push({ name, proxy, origin: proxy?.origin ?? mock.origin, cpuPid: proxy?.child.pid ?? 0 });
      } catch (err) {
        out[name] = { error: err.message ?? String(err) };
        progress(`${mode}: ${name} failed: ${out[name].error.split('\n')[0]}`);
      }
    }
    if (live.length === 0) return out;
    const targets = live.map(({ name, origin, cpuPid }) => ({ name, origin, cpuPid }));

    const openS = live.length * (s.warmupS + s.durationS);
    progress(`${mode}: open loop at ${s.rate} req/s, ${live.map((t) => t.name).join(' / ')} interleaved (~${Math.ceil(openS)} s)`);
    const open = await runLoadgen(ctx, { mode: 'open', stream, rate: s.rate, warmupS: s.warmupS, durationS: s.durationS, sliceS: 1, targets }, `${mode}-open`, openS);
    for (const t of live) {
      const o = open.find((r) => r.name === t.name);
      out[t.name] = {
        origin: t.origin, pid: t.cpuPid || null, open: o, cpuUsPerReq: t.cpuPid && o.cpuUs != null ? o.cpuUs / o.sent : null,
        peakRssAtRateBytes: t.cpuPid ? peakRssBytes(t.cpuPid) : null, rssAfterOpenBytes: t.cpuPid ? rssBytes(t.cpuPid) : null,
      };
    }

    const closedS = live.length * (1 + s.throughputS);
    progress(`${mode}: closed loop, ${s.connections} connections, interleaved 1 s rounds (~${Math.ceil(closedS)} s)`);
    const closed = s.wrk
      ? await runWrkRounds(ctx, targets, stream, mode)
      : await runLoadgen(ctx, { mode: 'closed', stream, connections: s.connections, warmupS: 1, durationS: s.throughputS, sliceS: 1, targets }, `${mode}-closed`, closedS);
    for (const t of live) {
      out[t.name].closed = foldRounds(s.wrk ? 'wrk' : 'loadgen', closed.find((r) => r.name === t.name));
      out[t.name].peakRssBytes = t.cpuPid ? peakRssBytes(t.cpuPid) : null;
    }
    return out;
  } finally {
    await Promise.all(live.filter((t) => t.proxy).map((t) => stopChild(t.proxy.child)));
  }
}

function startTarget(name, mode) {
  const logFile = join(logDir, `${name}-${mode}.log`);
  if (name === 'bare') return startBare(s, mock.origin, logFile);
  if (name === 'sluice') return startSluice(s, mock.origin, logFile, tmpDir);
  return null;
}

function progress(text) {
  process.stderr.write(`bench: ${text}\n`);
}
