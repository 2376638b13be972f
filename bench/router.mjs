// Router micro-benchmark (run against dist/): µs per selection for each strategy over one group of 10 deployments,
// plus the round trips of the off-path Redis sync and lease when Redis answers at 127.0.0.1:6379.
import { performance } from 'node:perf_hooks';
import { validateConfigObject } from '../dist/config/load-config.js';
import { buildSnapshot } from '../dist/config/snapshot.js';
import { Router } from '../dist/router/router.js';
import { seededRandom } from '../dist/router/random-source.js';
import { RedisBackend } from '../dist/router/shared/redis-backend.js';

const ROUNDS = 7;
const PICKS = 200_000;
const STRATEGIES = ['simple-shuffle', 'least-busy', 'latency-based-routing', 'usage-based-routing-v2', 'cost-based-routing'];

function snapshotFor(strategy, extra = {}) {
  const model_list = Array.from({ length: 10 }, (_, index) => ({
    model_name: 'group',
    litellm_params: { model: 'openai/gpt-4o', api_base: `http://127.0.0.1:9/d${index}/v1`, api_key: 'k', rpm: 1_000_000, tpm: 1e12, weight: 1 + (index % 3), input_cost_per_token: (index + 1) * 1e-7 },
    model_info: { id: `d${index}` },
  }));
  const { config } = validateConfigObject({ model_list, router_settings: { routing_strategy: strategy, ...extra } }, {});
  return buildSnapshot(config, {});
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function benchStrategy(strategy, extra) {
  const snapshot = snapshotFor(strategy, extra);
  const router = new Router(snapshot, { random: seededRandom(1), shared: null });
  const group = snapshot.groups.get('group');
  const request = { failedIds: [], tags: null, estimatedTokens: 0 };
  let index = 0;
  for (const member of group.deployments) router.routed(member).state.recordLatency(50 + (index++ % 4));
  const pickOnly = [];
  const cycle = [];
  for (let round = 0; round < ROUNDS; round++) {
    let start = performance.now();
    for (let i = 0; i < PICKS; i++) router.pick(group, request);
    pickOnly.push(((performance.now() - start) * 1000) / PICKS);
    start = performance.now();
    for (let i = 0; i < PICKS; i++) {
      const picked = router.pick(group, request);
      router.onAttemptStart(picked);
      router.onAttemptSuccess(picked, 40, 100);
    }
    cycle.push(((performance.now() - start) * 1000) / PICKS);
  }
  return { pick: median(pickOnly), cycle: median(cycle) };
}

console.log('strategy (10 deployments)          µs/pick   µs/pick+bookkeeping');
for (const strategy of STRATEGIES) {
  const { pick, cycle } = benchStrategy(strategy);
  console.log(`${strategy.padEnd(34)} ${pick.toFixed(3).padStart(7)}   ${cycle.toFixed(3).padStart(7)}`);
}
const checks = benchStrategy('simple-shuffle', { enable_pre_call_checks: true });
console.log(`${'simple-shuffle + pre-call checks'.padEnd(34)} ${checks.pick.toFixed(3).padStart(7)}   ${checks.cycle.toFixed(3).padStart(7)}`);

const redis = new RedisBackend({ url: 'redis://127.0.0.1:6379', host: '', port: 0, password: undefined, prefix: `sluice-bench:${process.pid}:` });
try {
  const ids = Array.from({ length: 10 }, (_, index) => `d${index}`);
  const report = { minute: 1, tokens: Object.fromEntries(ids.map((id) => [id, 100])), inFlight: { d0: 1 }, cooldowns: {}, latency: { d0: [120, 3] } };
  await redis.sync(report, ids);
  const syncs = [];
  const leases = [];
  for (let i = 0; i < 200; i++) {
    let start = performance.now();
    await redis.sync(report, ids);
    syncs.push(performance.now() - start);
    start = performance.now();
    await redis.lease('d0', 1, 1, 1e9);
    leases.push(performance.now() - start);
  }
  console.log(`redis sync round trip (10 deployments, every 100 ms, off the request path): median ${median(syncs).toFixed(3)} ms`);
  console.log(`redis rpm lease round trip (one per ceil(rpm/20) requests, prefetched):      median ${median(leases).toFixed(3)} ms`);
} catch (error) {
  console.log(`redis not measured: ${error.message}`);
} finally {
  await redis.close();
}
