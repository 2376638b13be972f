// Turns raw phase results into what the bench prints: method, machine, one table per mode, PASS/MISS lines.
import os from 'node:os';

export const TARGETS = {
  p50Us: 250, // added p50 at the fixed rate
  p99Us: 1000, // added p99 at the fixed rate
  throughputOfBare: 0.75,
  rssBytes: 100 * 1024 * 1024,
};

const MODE_TITLE = { nonstream: 'non-stream (latency = full response)', stream: 'stream (latency = time to last byte)' };

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, ramGB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version, kernel: `${os.type()} ${os.release()}`, loadavg: os.loadavg().map((x) => round(x, 2)),
  };
}

export function methodLines(s, mockKind, throughputGenerator) {
  const pin = s.pin ? 'taskset: proxy under test on core 0; mock and load generator on core 1' : `not pinned (${s.pinRequested ? 'taskset not found' : 'BENCH_NO_PIN=1'})`;
  return [
    'Method',
    `  workload    POST /v1/chat/completions, model bench-model, ~1 KB body (system prompt + 3 messages); modes: ${s.modes.join(', ')} (stream = SSE, ${s.streamChunks} chunks + [DONE])`,
    `  mock        ${mockKind}, latency ${s.mockLatencyMs} ms, chunk delay ${s.chunkDelayMs} ms`,
    `  targets     ${s.targets.map((t) => ({ direct: 'direct (→ mock)', bare: 'bare (→ bench/bare-proxy.mjs → mock)', sluice: 'sluice (→ MALLOC_ARENA_MAX=2 node --max-semi-space-size=2 dist/cli.js → mock)' })[t]).join(', ')}`,
    `  latency     open loop, ${s.rate} req/s for ${s.durationS} s per target after ${s.warmupS} s warm-up, in 1 s slices interleaved across`,
    '              targets, by bench/loadgen.mjs (undici, own process); latency from each request\'s scheduled send time',
    '              (no coordinated omission); Δ = target − direct at the same percentile',
    `  throughput  closed loop, ${s.connections} connections, ${s.throughputS} × 1 s rounds per target after 1 s warm-up, targets`,
    `              interleaved; the median round is reported; by ${throughputGenerator}`,
    '  resources   proxy process only: CPU µs/req = Δ(utime+stime) from /proc/PID/stat over the open-loop window ÷ requests;',
    '              peak RSS = VmHWM from /proc/PID/status, read after the open loop ("rate") and after the closed loop ("max")',
    `  pinning     ${pin}`,
  ];
}

export function machineLines(m) {
  return [`Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGB} GB RAM, Node ${m.node}, ${m.kernel}, load avg ${m.loadavg.join(' ')}`];
}

/** One table for a mode: rows direct / bare / sluice. */
export function modeTable(mode, byTarget) {
  const direct = byTarget.direct?.open?.latencyUs;
  const bareRps = byTarget.bare?.closed?.rps;
  const head = ['target', 'p50 ms', 'p90 ms', 'p99 ms', 'Δp50', 'Δp90', 'Δp99', 'max req/s', '% of bare', 'CPU µs/req', 'RSS MB rate/max', 'errors'];
  const rows = [];
  for (const [name, r] of Object.entries(byTarget)) {
    if (r.error) {
      rows.push([name, `ERROR: ${r.error.split('\n')[0]}`]);
      continue;
    }
    const l = r.open.latencyUs;
    const delta = (q) => (direct && name !== 'direct' ? signedMs(l[q] - direct[q]) : '—');
    rows.push([
      name, ms(l.p50), ms(l.p90), ms(l.p99), delta('p50'), delta('p90'), delta('p99'),
      r.closed ? fmt(r.closed.rps, 0) : '—',
      r.closed && bareRps && name !== 'direct' ? `${fmt((100 * r.closed.rps) / bareRps, 0)}%` : '—',
      r.cpuUsPerReq == null ? '—' : fmt(r.cpuUsPerReq, 0),
      r.peakRssBytes == null ? '—' : `${mb(r.peakRssAtRateBytes)} / ${mb(r.peakRssBytes)}`,
      String(r.open.errorCount + (r.closed?.errorCount ?? 0)),
    ]);
  }
  const lines = [`${MODE_TITLE[mode]}`, ...table(head, rows)];
  const notes = [];
  for (const [name, r] of Object.entries(byTarget)) {
    if (r.error) continue;
    const o = r.open;
    const parts = [`achieved ${fmt(o.okRate, 0)} req/s`, `send lag p50/p99 ${ms(o.sendLagUs.p50)}/${ms(o.sendLagUs.p99)} ms`];
    if (o.ttfbUs) parts.unshift(`TTFB p50/p99 ${ms(o.ttfbUs.p50)}/${ms(o.ttfbUs.p99)} ms`);
    if (r.closed?.proxyBusy != null) {
      const limited = r.closed.proxyBusy < 0.9 ? ' (not saturated: the mock/generator core limited it)' : '';
      const split = r.closed.cpuUsPerReqByThread;
      const byThread = split == null ? '' : ` (event loop ${fmt(split.loop, 0)}${split.niced >= 0.5 ? `, spend write thread ${fmt(split.niced, 0)}` : ''}, V8/libuv helper threads ${fmt(split.helpers, 0)})`;
      parts.push(`proxy core busy in closed loop ${fmt(100 * r.closed.proxyBusy, 0)}%${limited}, ${fmt(r.closed.cpuUsPerReq, 0)} CPU µs/req there${byThread}`);
    }
    if (r.rssAfterOpenBytes != null) parts.push(`RSS after open loop ${mb(r.rssAfterOpenBytes)} MB`);
    const bare = byTarget.bare;
    if (name === 'sluice' && bare?.open) {
      const b = bare.open.latencyUs;
      parts.push(`vs bare: Δp50 ${signedMs(o.latencyUs.p50 - b.p50)}, Δp99 ${signedMs(o.latencyUs.p99 - b.p99)} ms, CPU ×${fmt(r.cpuUsPerReq / bare.cpuUsPerReq, 2)}`);
    }
    if (r.open.errorCount) parts.push(`open-loop errors ${JSON.stringify(o.errors)}`);
    if (r.closed?.errorCount) parts.push(`closed-loop errors ${JSON.stringify(r.closed.errors)}`);
    notes.push(`  ${name.padEnd(7)} ${parts.join('; ')}`);
  }
  return [...lines, ...notes];
}

/** PASS/MISS per proxy target and mode against the issue's targets. */
export function checks(mode, byTarget, rate) {
  const out = [];
  const direct = byTarget.direct?.error ? null : byTarget.direct?.open?.latencyUs;
  const bareRps = byTarget.bare?.error ? null : byTarget.bare?.closed?.rps;
  for (const name of ['bare', 'sluice']) {
    const r = byTarget[name];
    if (!r) continue;
    const items = [];
    if (r.error) items.push({ name: 'ran', pass: false, detail: r.error.split('\n')[0] });
    else {
      const l = r.open.latencyUs;
      const clean = r.open.errorCount === 0 && r.open.okRate >= 0.97 * rate;
      items.push({ name: `clean at ${rate} req/s`, pass: clean, detail: `${r.open.errorCount} errors, ${fmt(r.open.okRate, 0)} req/s` });
      if (direct) {
        items.push({ name: 'added p50 ≤ 0.25 ms', pass: l.p50 - direct.p50 <= TARGETS.p50Us, detail: `${signedMs(l.p50 - direct.p50)} ms` });
        const late = Math.max(r.open.sendLagUs.p99, byTarget.direct.open.sendLagUs.p99) > 1000 ? '; generator late, untrustworthy' : '';
        items.push({ name: 'added p99 ≤ 1 ms', pass: l.p99 - direct.p99 <= TARGETS.p99Us, detail: `${signedMs(l.p99 - direct.p99)} ms${late}` });
      } else items.push({ name: 'added latency', pass: null, detail: 'direct not run' });
      if (name === 'sluice' && bareRps && r.closed) {
        const ratio = r.closed.rps / bareRps;
        items.push({ name: 'throughput ≥ 75% of bare', pass: ratio >= TARGETS.throughputOfBare, detail: `${fmt(100 * ratio, 0)}%` });
      } else if (name === 'sluice') items.push({ name: 'throughput vs bare', pass: null, detail: 'bare not run' });
      if (r.peakRssAtRateBytes != null) {
        const detail = `${mb(r.peakRssAtRateBytes)} MB; ${mb(r.peakRssBytes)} MB after the closed loop, not judged`;
        items.push({ name: `peak RSS ≤ 100 MB at ${rate} req/s`, pass: r.peakRssAtRateBytes <= TARGETS.rssBytes, detail });
      }
    }
    const verdict = items.some((i) => i.pass === false) ? 'MISS' : items.some((i) => i.pass === null) ? 'PART' : 'PASS';
    out.push({ mode, target: name, verdict, pass: verdict === 'PASS', items });
  }
  return out;
}

/** Was the open-loop generator on time? If its send lag is large, it (not the target) set the tail latencies. */
export function generatorLine(results) {
  let worst = { us: 0, where: '' };
  for (const [mode, byTarget] of Object.entries(results)) {
    for (const [name, r] of Object.entries(byTarget)) {
      const p99 = r.open?.sendLagUs?.p99 ?? 0;
      if (p99 > worst.us) worst = { us: p99, where: `${mode}/${name}` };
    }
  }
  const ok = worst.us <= 1000;
  const verdict = ok ? 'yes' : `no (worst ${ms(worst.us)} ms in ${worst.where}): p99 and Δp99 are not trustworthy`;
  return `Generator on time (send lag p99 ≤ 1 ms) in every phase: ${verdict}`;
}

/**
 * How much CPU others took while the bench ran: processes in this VM, and (steal) the hypervisor running other guests
 * while ours wanted the core; above ~0.2 cores the tails are mostly theirs.
 */
export function noiseLine(noise, cores) {
  const warn = noise.otherCores > 0.2 ? ' — the machine was busy: trust medians and ratios, not tails; re-run when idle' : '';
  const steal = noise.stealCores === undefined ? '' : ` (${noise.stealCores.toFixed(2)} of it stolen by the hypervisor)`;
  return `Noise: other processes used ${noise.otherCores.toFixed(2)} of ${cores} cores${steal} during the ${noise.wallS.toFixed(0)} s run${warn}`;
}

export function checkLine(c) {
  const body = c.items.map((i) => `${i.pass === null ? 'n/a' : i.pass ? 'ok' : 'MISS'} ${i.name} (${i.detail})`).join('; ');
  return `${c.verdict}  ${c.target.padEnd(6)} ${c.mode.padEnd(9)}  ${body}`;
}

function table(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length > 2).map((r) => String(r[i] ?? '').length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [
    `  ${line(head)}`,
    `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`,
    ...rows.map((r) => (r.length > 2 ? `  ${line(r)}` : `  ${String(r[0]).padEnd(widths[0])}  ${r[1]}`)),
  ];
}

const ms = (us) => (us == null ? '—' : (us / 1000).toFixed(3));
const signedMs = (us) => `${us >= 0 ? '+' : '−'}${Math.abs(us / 1000).toFixed(3)}`;
const fmt = (x, d) => (x == null || !Number.isFinite(x) ? '—' : x.toFixed(d));
const mb = (bytes) => (bytes == null ? '—' : (bytes / 2 ** 20).toFixed(1));
const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;
