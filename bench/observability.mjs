// Micro-benchmark: what observing one finished request costs on the event loop (metrics observer, callback enqueue,
// and the batch payload build that runs later off the request path). Run: npm run build && node bench/observability.mjs
import { performance } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import { CallbackQueue } from '../dist/callbacks/callback-queue.js';
import { buildStandardLoggingPayload } from '../dist/callbacks/standard-logging-payload.js';
import { createMetricSet } from '../dist/metrics/metric-set.js';
import { PrometheusObserver } from '../dist/metrics/prometheus-observer.js';

const deployment = { id: 'dep-1', modelGroup: 'bench-model', provider: 'openai', upstreamModel: 'gpt-4o-mini', apiBase: 'http://127.0.0.1:1/v1' };
const outcome = {
  callId: 'call', operation: 'chat', requestedModel: 'bench-model', modelGroup: 'bench-model', deployment, status: 200, error: null,
  stream: false, startedAt: 100, endedAt: 101.2, upstreamMs: 0.9, timeToFirstTokenMs: 0, clientDisconnected: false,
  usage: { promptTokens: 12, completionTokens: 30, totalTokens: 42, cachedPromptTokens: 0, cacheCreationTokens: 0 },
  requestBody: { model: 'bench-model', messages: [{ role: 'user', content: 'hello' }], temperature: 0.5 },
  upstreamHeaders: { 'content-type': 'application/json', 'x-ratelimit-remaining-requests': '99', 'x-ratelimit-remaining-tokens': '9000' },
};

function measure(name, iterations, fn) {
  for (let i = 0; i < 20_000; i++) fn(i);
  const runs = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let i = 0; i < iterations; i++) fn(i);
    runs.push(((performance.now() - started) * 1e6) / iterations);
  }
  runs.sort((a, b) => a - b);
  console.log(`${name.padEnd(52)} ${runs[2].toFixed(0).padStart(6)} ns/op (median of 5 × ${iterations})`);
}

const metrics = createMetricSet(new Registry());
const observer = new PrometheusObserver(metrics);
measure('PrometheusObserver.onRequestFinished (success)', 200_000, () => observer.onRequestFinished(outcome));
const failed = { ...outcome, status: 429, error: { status: 429, reason: 'upstream', message: 'rate limited' } };
measure('PrometheusObserver.onRequestFinished (429)', 200_000, () => observer.onRequestFinished(failed));
const keyed = { ...outcome, apiKeyHash: 'a'.repeat(64), keyAlias: 'alias', team: 'team-1', teamAlias: 'team' };
measure('PrometheusObserver.onRequestFinished (virtual key)', 200_000, () => observer.onRequestFinished(keyed));

const counters = { dropped: metrics.callbackDropped.labels('bench'), failed: metrics.callbackFailures.labels('bench') };
const queue = new CallbackQueue({ name: 'bench', flushIntervalMs: 3_600_000, maxBatchSize: 1e9, send: async () => {} }, counters, true, 1e9);
measure('CallbackQueue.push (on the request tick)', 200_000, () => queue.push(outcome));
measure('buildStandardLoggingPayload (at flush, off path)', 200_000, () => buildStandardLoggingPayload(outcome, true));
process.exit(0);
