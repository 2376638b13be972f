// `/metrics` after known traffic: exact counts, labels and histogram buckets under LiteLLM's names; auth; 2 workers.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTelemetry } from '../../src/metrics/telemetry.js';
import { freePort, startCli, startGateway, type RunningGateway } from '../support/gateway.js';
import { postJson } from '../support/http.js';
import { startMockServer, type MockServer } from '../support/mock.js';
import { scrape, valueOf, type Sample } from '../support/prometheus.js';

let mock: MockServer;
const chat = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: 'user', content: 'count these words' }], ...extra });

before(async () => {
  mock = await startMockServer();
});

after(async () => {
  await mock?.close();
});

describe('metrics after known traffic (1 process)', () => {
  let gateway: RunningGateway;
  let samples: Sample[];
  let promptTokens = 0;
  let completionTokens = 0;

  before(async () => {
    const telemetry = createTelemetry();
    const modelList = [
      { model_name: 'ok', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'k' }, model_info: { id: 'ok-1' } },
      { model_name: 'limited', litellm_params: { model: 'openai/gpt-4o-mini', api_base: `${mock.url}/mock/status=429/v1`, api_key: 'k' }, model_info: { id: 'limited-1' } },
      { model_name: 'slowish', litellm_params: { model: 'openai/gpt-4.1', api_base: `${mock.url}/mock/latency=600/v1`, api_key: 'k' }, model_info: { id: 'slowish-1' } },
    ];
    gateway = await startGateway({ model_list: modelList }, { observers: [telemetry.observer], metrics: telemetry.source });
    for (let index = 0; index < 3; index++) {
      const response = await postJson(`${gateway.url}/v1/chat/completions`, chat('ok'));
      assert.equal(response.status, 200);
      const body = (await response.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
      promptTokens += body.usage.prompt_tokens;
      completionTokens += body.usage.completion_tokens;
    }
    const stream = await postJson(`${gateway.url}/v1/chat/completions`, chat('ok', { stream: true, stream_options: { include_usage: true } }));
    const text = await stream.text();
    const usageLine = text.split('\n').find((line) => line.includes('"usage":{'));
    const usage = (JSON.parse(usageLine!.slice('data: '.length)) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    promptTokens += usage.prompt_tokens;
    completionTokens += usage.completion_tokens;
    for (let index = 0; index < 2; index++) assert.equal((await postJson(`${gateway.url}/v1/chat/completions`, chat('limited'))).status, 429);
    for (let index = 0; index < 2; index++) assert.equal((await postJson(`${gateway.url}/v1/chat/completions`, chat('slowish'))).status, 200);
    assert.equal((await postJson(`${gateway.url}/v1/chat/completions`, chat('nope'))).status, 400);
    samples = await scrape(`${gateway.url}/metrics`);
  });

  after(async () => {
    await gateway?.close();
  });

  test('request and failure counters with LiteLLM labels', () => {
    assert.equal(valueOf(samples, 'litellm_proxy_total_requests_metric_total', { requested_model: 'ok', status_code: '200' }), 4);
    assert.equal(valueOf(samples, 'litellm_proxy_total_requests_metric_total', { requested_model: 'limited', status_code: '429' }), 2);
    assert.equal(valueOf(samples, 'litellm_proxy_total_requests_metric_total', { requested_model: 'nope', status_code: '400' }), 1);
    assert.equal(valueOf(samples, 'litellm_proxy_total_requests_metric_total'), 9);
    assert.equal(valueOf(samples, 'litellm_proxy_failed_requests_metric_total', { requested_model: 'limited', exception_status: '429', exception_class: 'RateLimitError' }), 2);
    assert.equal(valueOf(samples, 'litellm_proxy_failed_requests_metric_total', { requested_model: 'nope', exception_status: '400', exception_class: 'BadRequestError' }), 1);
    assert.equal(valueOf(samples, 'litellm_proxy_failed_requests_metric_total'), 3);
    assert.equal(valueOf(samples, 'litellm_requests_total', { status: '200' }), 6);
    assert.equal(valueOf(samples, 'litellm_requests_total', { status: '429' }), 2);
    assert.equal(valueOf(samples, 'litellm_requests_total', { status: '400' }), 1);
  });

  test('per-deployment success and failure counters', () => {
    const ok = { litellm_model_name: 'gpt-4o', model_id: 'ok-1', api_provider: 'openai', requested_model: 'ok' };
    assert.equal(valueOf(samples, 'litellm_deployment_success_responses_total', ok), 4);
    assert.equal(valueOf(samples, 'litellm_deployment_total_requests_total', ok), 4);
    const limited = { model_id: 'limited-1', exception_status: '429', exception_class: 'RateLimitError' };
    assert.equal(valueOf(samples, 'litellm_deployment_failure_responses_total', limited), 2);
    assert.equal(valueOf(samples, 'litellm_deployment_success_responses_total', { model_id: 'limited-1' }), 0);
  });

  test('token counters equal the usage the clients received', () => {
    assert.ok(promptTokens > 0 && completionTokens > 0);
    assert.equal(valueOf(samples, 'litellm_input_tokens_total', { requested_model: 'ok' }), promptTokens);
    assert.equal(valueOf(samples, 'litellm_output_tokens_total', { requested_model: 'ok' }), completionTokens);
    assert.equal(valueOf(samples, 'litellm_total_tokens_total', { requested_model: 'ok' }), promptTokens + completionTokens);
    assert.equal(valueOf(samples, 'litellm_input_tokens_metric_total', { requested_model: 'ok', model: 'gpt-4o' }), promptTokens);
  });

  test('histograms use LiteLLM buckets and land in the right ones', () => {
    assert.equal(valueOf(samples, 'litellm_request_duration_seconds_count'), 9);
    assert.equal(valueOf(samples, 'litellm_request_duration_seconds_bucket', { le: '+Inf' }), 9);
    const buckets = samples.filter((sample) => sample.name === 'litellm_request_duration_seconds_bucket').map((sample) => sample.labels.le);
    assert.deepEqual(buckets.slice(0, 6), ['0.005', '0.00625', '0.0125', '0.025', '0.05', '0.1']);
    assert.equal(buckets.length, 36);
    // The two 600 ms upstream calls: above the 0.5 s bucket, inside the 1 s one.
    const slow = { model: 'gpt-4.1', requested_model: 'slowish' };
    assert.equal(valueOf(samples, 'litellm_llm_api_latency_metric_bucket', { ...slow, le: '0.5' }), 0);
    assert.equal(valueOf(samples, 'litellm_llm_api_latency_metric_bucket', { ...slow, le: '1' }), 2);
    assert.equal(valueOf(samples, 'litellm_llm_api_latency_metric_count', slow), 2);
    assert.equal(valueOf(samples, 'litellm_request_total_latency_metric_bucket', { requested_model: 'slowish', le: '0.5' }), 0);
    assert.equal(valueOf(samples, 'litellm_provider_latency_seconds_count', { provider: 'openai' }), 8);
    assert.equal(valueOf(samples, 'litellm_overhead_latency_metric_count', { model_group: 'ok' }), 4);
    assert.equal(valueOf(samples, 'litellm_llm_api_time_to_first_token_metric_count', { model: 'gpt-4o' }), 1);
  });
});

describe('provider rate-limit headers', () => {
  test('x-ratelimit-remaining-* feed litellm_remaining_requests_metric / _tokens_metric', async () => {
    let remaining = 100;
    const upstream = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        remaining--;
        const body = JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
        res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-remaining-requests': String(remaining), 'x-ratelimit-remaining-tokens': String(remaining * 1000) }).end(body);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
    const telemetry = createTelemetry();
    const gateway = await startGateway({ model_list: [{ model_name: 'rl', litellm_params: { model: 'openai/gpt-4o', api_base: base, api_key: 'k' } }] }, { observers: [telemetry.observer], metrics: telemetry.source });
    try {
      for (let index = 0; index < 3; index++) assert.equal((await postJson(`${gateway.url}/v1/chat/completions`, chat('rl'))).status, 200);
      const samples = await scrape(`${gateway.url}/metrics`);
      const labels = { model_group: 'rl', api_provider: 'openai', api_base: base, litellm_model_name: 'gpt-4o' };
      assert.equal(valueOf(samples, 'litellm_remaining_requests_metric', labels), 97);
      assert.equal(valueOf(samples, 'litellm_remaining_tokens_metric', labels), 97_000);
    } finally {
      await gateway.close();
      upstream.close();
    }
  });
});

describe('/metrics access', () => {
  const config = (extra: Record<string, unknown>) => ({
    model_list: [{ model_name: 'm', litellm_params: { model: 'openai/gpt-4o', mock_response: 'hi' } }],
    general_settings: { master_key: 'sk-metrics-master' },
    ...extra,
  });

  test('public by default, even with a master key', async () => {
    const telemetry = createTelemetry();
    const gateway = await startGateway(config({}), { observers: [telemetry.observer], metrics: telemetry.source });
    try {
      const response = await fetch(`${gateway.url}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
      assert.match(await response.text(), /# TYPE litellm_proxy_total_requests_metric_total counter/);
    } finally {
      await gateway.close();
    }
  });

  test('require_auth_for_metrics_endpoint: master key needed', async () => {
    const telemetry = createTelemetry();
    const gateway = await startGateway(config({ litellm_settings: { require_auth_for_metrics_endpoint: true } }), { observers: [telemetry.observer], metrics: telemetry.source });
    try {
      assert.equal((await fetch(`${gateway.url}/metrics`)).status, 401);
      assert.equal((await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer sk-wrong' } })).status, 401);
      assert.equal((await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer sk-metrics-master' } })).status, 200);
    } finally {
      await gateway.close();
    }
  });
});

describe('2 workers: one scrape sees the whole group', () => {
  test('counts add up exactly on the main port and the metrics port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-metrics-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, `model_list:\n  - model_name: ok\n    litellm_params:\n      model: openai/gpt-4o\n      api_base: ${mock.url}/v1\n      api_key: k\n`);
    const metricsPort = await freePort();
    const cli = await startCli(['-c', file, '--port', String(await freePort()), '--host', '127.0.0.1', '--num_workers', '2', '--prometheus_metrics_port', String(metricsPort)]);
    try {
      await waitForWorkers(cli.output, 2);
      const total = 40;
      const statuses = await Promise.all(
        Array.from({ length: total }, async () => (await postJson(`${cli.url}/v1/chat/completions`, chat('ok'), { connection: 'close' })).status),
      );
      assert.deepEqual(new Set(statuses), new Set([200]));
      for (let scrapeIndex = 0; scrapeIndex < 4; scrapeIndex++) {
        const samples = await scrape(`${cli.url}/metrics`);
        assert.equal(valueOf(samples, 'litellm_requests_total', { status: '200' }), total);
        assert.equal(valueOf(samples, 'litellm_proxy_total_requests_metric_total', { requested_model: 'ok' }), total);
        assert.equal(valueOf(samples, 'litellm_request_duration_seconds_bucket', { le: '+Inf' }), total);
      }
      const fromPort = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
      assert.equal(valueOf(fromPort, 'litellm_requests_total', { status: '200' }), total);
      assert.equal(valueOf(fromPort, 'litellm_deployment_success_responses_total', { requested_model: 'ok' }), total);
    } finally {
      await cli.stop();
    }
  });
});

async function waitForWorkers(output: () => string, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((output().match(/Sluice listening on/g) ?? []).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`workers did not start:\n${output()}`);
}
