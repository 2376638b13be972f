// Bench settings from the environment, validated once; every knob the README documents lives here.
import { tasksetAvailable } from './children.mjs';
import { wrkVersion } from './wrk.mjs';

const ALL_TARGETS = ['direct', 'bare', 'sluice'];
const ALL_MODES = ['nonstream', 'stream'];

export function readSettings(env = process.env) {
  const quick = env.BENCH_QUICK === '1';
  const s = {
    quick,
    rate: num(env, 'BENCH_RATE', 1000, 1, 50_000),
    durationS: num(env, 'BENCH_DURATION_S', quick ? 3 : 10, 0.5, 300),
    warmupS: num(env, 'BENCH_WARMUP_S', quick ? 1 : 10, 0, 60),
    throughputS: num(env, 'BENCH_THROUGHPUT_S', quick ? 2 : 5, 1, 120),
    connections: num(env, 'BENCH_CONNECTIONS', 50, 1, 1000),
    targets: list(env, 'BENCH_TARGETS', ALL_TARGETS),
    modes: list(env, 'BENCH_MODES', ALL_MODES),
    mockLatencyMs: num(env, 'BENCH_MOCK_LATENCY_MS', 0, 0, 10_000),
    streamChunks: num(env, 'BENCH_STREAM_CHUNKS', 16, 1, 10_000),
    chunkDelayMs: num(env, 'BENCH_CHUNK_DELAY_MS', 0, 0, 1000),
    apiKey: env.BENCH_API_KEY ?? 'sk-bench-master',
    sluiceConfig: env.BENCH_SLUICE_CONFIG ?? null,
    sluiceArgs: (env.BENCH_SLUICE_ARGS ?? '').split(/\s+/).filter(Boolean),
    pin: env.BENCH_NO_PIN !== '1' && tasksetAvailable(),
    pinRequested: env.BENCH_NO_PIN !== '1',
    generator: env.BENCH_GENERATOR ?? 'auto',
    out: env.BENCH_OUT ?? new URL('../results/latest.json', import.meta.url).pathname,
  };
  if (!['auto', 'wrk', 'undici'].includes(s.generator)) throw new Error(`BENCH_GENERATOR must be auto, wrk or undici (got ${s.generator})`);
  if (s.generator === 'wrk' && !wrkVersion()) throw new Error('BENCH_GENERATOR=wrk but wrk is not installed');
  s.wrk = s.generator !== 'undici' ? wrkVersion() : null;
  for (const t of s.targets) if (!ALL_TARGETS.includes(t)) throw new Error(`unknown target "${t}" in BENCH_TARGETS (use ${ALL_TARGETS})`);
  for (const m of s.modes) if (!ALL_MODES.includes(m)) throw new Error(`unknown mode "${m}" in BENCH_MODES (use ${ALL_MODES})`);
  return s;
}

function num(env, name, dflt, min, max) {
  if (env[name] === undefined || env[name] === '') return dflt;
  const v = Number(env[name]);
  if (!Number.isFinite(v) || v < min || v > max) throw new Error(`${name} must be a number in [${min}, ${max}] (got ${env[name]})`);
  return v;
}

function list(env, name, dflt) {
  const v = env[name];
  return v ? v.split(',').map((x) => x.trim()).filter(Boolean) : dflt;
}
