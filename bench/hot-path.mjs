// Micro-benchmarks of the hot path's pure functions (run against dist/): ns per call, median of several runs.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { validateBody } from '../dist/dataplane/validate-body.js';
import { prepareUpstreamBody } from '../dist/dataplane/prepare-upstream-body.js';
import { extractUsage, StreamUsageScanner } from '../dist/core/usage.js';
import { validateConfigObject } from '../dist/config/load-config.js';
import { buildSnapshot } from '../dist/config/snapshot.js';
import { ModelResolver } from '../dist/config/model-resolver.js';
import { readApiKey, SecretMatcher } from '../dist/auth/api-key.js';

const ROUNDS = 7;
const SYSTEM = 'You are a helpful assistant that answers concisely and accurately. '.repeat(6);
const requestText = JSON.stringify({
  model: 'gpt-4o',
  messages: [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: 'Summarise the main causes of the French Revolution in three bullet points, please.' },
    { role: 'assistant', content: 'Sure, here they are: fiscal crisis, social inequality, Enlightenment ideas.' },
    { role: 'user', content: 'Now expand the second point with two concrete examples.' },
  ],
  temperature: 0.7,
  max_tokens: 256,
  stream: false,
});
const responseBody = Buffer.from(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'x'.repeat(600) }, finish_reason: 'stop' }], usage: { prompt_tokens: 200, completion_tokens: 150, total_tokens: 350 } }));
const streamChunk = Buffer.from(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'hello world ' } }] })}\n\n`);

const { config } = validateConfigObject({
  model_list: [
    { model_name: 'gpt-4o', litellm_params: { model: 'openai/gpt-4o', api_key: 'k', api_base: 'http://127.0.0.1:1/v1' } },
    { model_name: 'openai/*', litellm_params: { model: 'openai/*', api_key: 'k' } },
  ],
}, {});
const snapshot = buildSnapshot(config, {});
const resolver = new ModelResolver(snapshot);
const deployment = snapshot.groups.get('gpt-4o').deployments[0];
const headers = { authorization: 'Bearer sk-1234567890abcdef1234567890abcdef', 'content-type': 'application/json' };
const matcher = new SecretMatcher('sk-1234567890abcdef1234567890abcdef');

function measure(name, iterations, fn) {
  const samples = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (let index = 0; index < iterations; index++) fn(index);
    samples.push(((performance.now() - start) * 1e6) / iterations);
  }
  samples.sort((a, b) => a - b);
  console.log(`${name.padEnd(48)} ${samples[ROUNDS >> 1].toFixed(0).padStart(7)} ns/op  (min ${samples[0].toFixed(0)})`);
}

console.log(`hot-path micro-benchmarks — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}; median of ${ROUNDS} rounds`);
measure('JSON.parse of a ~1 KB chat request', 50_000, () => JSON.parse(requestText));
const parsed = JSON.parse(requestText);
measure('validateBody(chat)', 200_000, () => validateBody('chat', parsed));
measure('parse + prepareUpstreamBody + JSON.stringify', 50_000, () => JSON.stringify(prepareUpstreamBody(JSON.parse(requestText), deployment, { dropParams: false, maxTokensCap: null })));
measure('ModelResolver.resolve (exact)', 1_000_000, () => resolver.resolve('gpt-4o'));
measure('ModelResolver.resolve (wildcard, cached)', 1_000_000, () => resolver.resolve('openai/gpt-4.1'));
measure('readApiKey + SecretMatcher.matches', 500_000, () => matcher.matches(readApiKey(headers)));
measure('extractUsage(1 KB completion body)', 200_000, () => extractUsage(responseBody));
const scanner = new StreamUsageScanner();
measure('StreamUsageScanner.push(chunk without usage)', 1_000_000, () => scanner.push(streamChunk));
