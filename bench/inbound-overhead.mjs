// End-to-end cost of the inbound APIs (run against dist/): one gateway and the mock in this process, sequential requests,
// median latency per route. /v1/messages and /v1/responses translated vs /v1/chat/completions shows what translation
// adds per request (and per stream) on top of the ordinary hot path; native forwards show the pass-through cost.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { validateConfigObject } from '../dist/config/load-config.js';
import { buildSnapshot } from '../dist/config/snapshot.js';
import { Gateway } from '../dist/dataplane/gateway.js';
import { startMockServer } from '../dist/mockserver/index.js';

const REQUESTS = Number(process.env.REQUESTS ?? 1500);
const ROUNDS = 5;

const mock = await startMockServer({ port: 0 });
const env = {};
const config = validateConfigObject({
  model_list: [
    { model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'k' } },
    { model_name: 'claude', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: mock.url, api_key: 'k' } },
  ],
}, env).config;
const gateway = new Gateway(buildSnapshot(config, env), { role: 'all' });
const address = await gateway.listen(0, '127.0.0.1');
const pool = new Pool(`http://127.0.0.1:${address.port}`, { connections: 1 });

const USER = [{ role: 'user', content: 'Summarise the main causes of the French Revolution in three bullet points.' }];
const CASES = [
  ['chat → OpenAI deployment (baseline)', '/v1/chat/completions', { model: 'gpt', messages: USER }],
  ['messages → OpenAI deployment (translated)', '/v1/messages', { model: 'gpt', max_tokens: 256, messages: USER }],
  ['messages → Anthropic deployment (native)', '/v1/messages', { model: 'claude', max_tokens: 256, messages: USER }],
  ['responses → OpenAI deployment (native)', '/v1/responses', { model: 'gpt', input: USER[0].content }],
  ['responses → Anthropic deployment (translated ×2)', '/v1/responses', { model: 'claude', input: USER[0].content }],
];

async function once(path, body) {
  const response = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (response.statusCode !== 200) throw new Error(`${path}: ${response.statusCode} ${await response.body.text()}`);
  await response.body.dump();
}

async function measure(name, path, request) {
  const body = JSON.stringify(request);
  for (let index = 0; index < 200; index++) await once(path, body); // warm-up
  const medians = [];
  for (let round = 0; round < ROUNDS; round++) {
    const samples = new Float64Array(REQUESTS);
    for (let index = 0; index < REQUESTS; index++) {
      const start = performance.now();
      await once(path, body);
      samples[index] = performance.now() - start;
    }
    samples.sort();
    medians.push(samples[REQUESTS >> 1] * 1000);
  }
  medians.sort((a, b) => a - b);
  console.log(`${name.padEnd(60)} ${medians[ROUNDS >> 1].toFixed(0).padStart(6)} µs/request  (rounds ${medians.map((m) => m.toFixed(0)).join(' ')})`);
}

console.log(`inbound API end-to-end latency — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}; mock and gateway in one process; median of ${REQUESTS} sequential requests, median of ${ROUNDS} rounds`);
for (const stream of [false, true]) {
  console.log(stream ? '\nstreamed (mock default chunking):' : 'not streamed:');
  for (const [name, path, request] of CASES) await measure(name, path, stream ? { ...request, stream: true } : request);
}
await pool.close();
await gateway.shutdown(1000);
await mock.close();
