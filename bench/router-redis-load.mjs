// Added latency of Redis-shared routing state at a fixed 1,000 req/s: the same gateway with and without Redis,
// against the in-process mock, median and p99 of client-seen latency over a short run each (noisy: shared cores).
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { validateConfigObject } from '../dist/config/load-config.js';
import { buildSnapshot } from '../dist/config/snapshot.js';
import { Gateway } from '../dist/dataplane/gateway.js';
import { startMockServer } from '../dist/mockserver/index.js';

const RATE = 1000;
const SECONDS = 3;
const body = JSON.stringify({ model: 'group', messages: [{ role: 'user', content: 'hi' }] });

async function run(mock, env, seconds = SECONDS) {
  const model_list = Array.from({ length: 10 }, (_, index) => ({
    model_name: 'group',
    litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/chunks=${index + 1}/v1`, api_key: 'k', rpm: 1_000_000 },
    model_info: { id: `d${index}` },
  }));
  const { config } = validateConfigObject({ model_list, router_settings: { routing_strategy: 'usage-based-routing-v2', enable_pre_call_checks: true } }, env);
  const gateway = new Gateway(buildSnapshot(config, env), { role: 'all' });
  const address = await gateway.listen(0, '127.0.0.1');
  const pool = new Pool(`http://127.0.0.1:${address.port}`, { connections: 64 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const latencies = [];
  const pending = [];
  const started = performance.now();
  const total = RATE * seconds;
  for (let sent = 0; sent < total; sent++) {
    const due = started + (sent * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const t0 = performance.now();
    pending.push(pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (response) => {
      await response.body.arrayBuffer();
      latencies.push(performance.now() - t0);
    }));
  }
  await Promise.all(pending);
  await pool.close();
  await gateway.shutdown(1000);
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(latencies.length / 2)], p99: latencies[Math.floor(latencies.length * 0.99)] };
}

const mock = await startMockServer();
await run(mock, {}, 2); // warm-up: JIT and connections
const local = await run(mock, {});
const shared = await run(mock, { REDIS_URL: 'redis://127.0.0.1:6379', SLUICE_ROUTER_REDIS_PREFIX: `sluice-bench:${process.pid}:` });
await mock.close();
console.log(`1,000 req/s for ${SECONDS} s, usage-based routing with rpm on 10 deployments`);
console.log(`local state:  p50 ${local.p50.toFixed(2)} ms  p99 ${local.p99.toFixed(2)} ms`);
console.log(`Redis shared: p50 ${shared.p50.toFixed(2)} ms  p99 ${shared.p99.toFixed(2)} ms`);
console.log(`added by Redis: p50 ${(shared.p50 - local.p50).toFixed(2)} ms  p99 ${(shared.p99 - local.p99).toFixed(2)} ms`);
