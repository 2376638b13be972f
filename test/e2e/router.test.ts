// Retries, fallbacks, cooldowns, peekable streams and timeouts against the mock provider with injected faults.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { validateConfigObject } from '../../src/config/load-config.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { expectError, postJson } from '../support/http.js';
import { startMockServer, type MockServer } from '../support/mock.js';

let mock: MockServer;
let gateway: RunningGateway | null = null;
const chat = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });

before(async () => {
  mock = await startMockServer();
});
after(async () => {
  await mock?.close();
});
beforeEach(async () => {
  await fetch(`${mock.url}/mock/reset`, { method: 'POST' });
});
afterEach(async () => {
  await gateway?.close();
  gateway = null;
});

/** A model_list entry on the mock with a fault scenario (`''` for a healthy one). */
function entry(name: string, scenario: string, id: string, params: Record<string, unknown> = {}, modelInfo: Record<string, unknown> = {}) {
  const base = scenario === '' ? `${mock.url}/v1` : `${mock.url}/mock/${scenario}/v1`;
  return { model_name: name, litellm_params: { model: 'openai/gpt-4o', api_base: base, api_key: 'k', ...params }, model_info: { id, ...modelInfo } };
}

async function start(modelList: unknown[], routerSettings: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<string> {
  gateway = await startGateway({ model_list: modelList, router_settings: routerSettings, ...extra });
  return `${gateway.url}/v1/chat/completions`;
}

/** Upstream calls per request path (scenario prefix included), from the mock's log of recent requests. */
async function upstreamCalls(): Promise<Record<string, number>> {
  const recorded = (await (await fetch(`${mock.url}/mock/requests`)).json()) as Array<{ path: string }>;
  const counts: Record<string, number> = {};
  for (const { path } of recorded) counts[path] = (counts[path] ?? 0) + 1;
  return counts;
}

function headerNumber(response: Response, name: string): number {
  return Number(response.headers.get(name));
}

describe('retries', () => {
  test('a 500 is retried and the answer says how many retries it took', async () => {
    const url = await start([entry('m', 'fail_first=1', 'a')]);
    const response = await postJson(url, chat('m'));
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(headerNumber(response, 'x-litellm-attempted-retries'), 1);
    assert.equal(headerNumber(response, 'x-litellm-max-retries'), 2);
    assert.equal(headerNumber(response, 'x-litellm-attempted-fallbacks'), 0);
    assert.equal(response.headers.get('x-litellm-model-id'), 'a');
  });

  test('num_retries caps the attempts: globally and per request', async () => {
    const url = await start([entry('m', 'status=500', 'a')], { num_retries: 1 });
    const response = await postJson(url, chat('m'));
    assert.equal(headerNumber(response, 'x-litellm-attempted-retries'), 1);
    await expectError(response, 500, 'server_error');
    assert.equal(Object.values(await upstreamCalls()).reduce((a, b) => a + b, 0), 2);
    await fetch(`${mock.url}/mock/reset`, { method: 'POST' });
    const once = await postJson(url, chat('m', { num_retries: 0 }));
    assert.equal(headerNumber(once, 'x-litellm-max-retries'), 0);
    await expectError(once, 500, 'server_error');
    assert.equal(Object.values(await upstreamCalls()).reduce((a, b) => a + b, 0), 1);
  });

  test('a non-retryable 400 is not retried', async () => {
    const url = await start([entry('m', 'status=400', 'a')]);
    const response = await postJson(url, chat('m'));
    assert.equal(headerNumber(response, 'x-litellm-attempted-retries'), 0);
    await expectError(response, 400, 'invalid_request_error');
    assert.equal(Object.values(await upstreamCalls()).reduce((a, b) => a + b, 0), 1);
  });

  test('retry_policy sets retries per error class', async () => {
    const url = await start([entry('m', 'status=500', 'a')], { num_retries: 5, retry_policy: { InternalServerErrorRetries: 0 } });
    await expectError(await postJson(url, chat('m')), 500, 'server_error');
    assert.equal(Object.values(await upstreamCalls()).reduce((a, b) => a + b, 0), 1);
  });

  test("a 429 with nowhere else to go waits for the provider's retry-after", async () => {
    const url = await start([entry('m', 'fail_first=1,status=429,retry_after=1', 'a')]);
    const started = performance.now();
    const response = await postJson(url, chat('m'));
    const elapsed = performance.now() - started;
    assert.equal(response.status, 200);
    assert.ok(elapsed >= 950, `waited ${elapsed} ms`);
    assert.ok(elapsed < 3000, `waited ${elapsed} ms`);
  });

  test('a client that leaves during a retry wait cancels the retry', async () => {
    const url = await start([entry('m', 'status=429,retry_after=1', 'a')]);
    const controller = new AbortController();
    const pending = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chat('m')), signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(pending);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal(Object.values(await upstreamCalls()).reduce((sum, n) => sum + n, 0), 1);
    assert.equal((await postJson(url, chat('m', { num_retries: 0 }))).status, 429);
  });

  test('a retry goes to another deployment at once when one is free', async () => {
    const url = await start([entry('m', 'status=429,retry_after=30', 'bad'), entry('m', '', 'good')], { num_retries: 3 });
    for (let index = 0; index < 5; index++) {
      const started = performance.now();
      const response = await postJson(url, chat('m'));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-litellm-model-id'), 'good');
      assert.ok(performance.now() - started < 1000);
    }
  });
});

describe('fallbacks', () => {
  test('after retries, fallbacks move the request to another group and keep its headers', async () => {
    const url = await start([entry('primary', 'status=503', 'p'), entry('backup', '', 'b')], { num_retries: 1, fallbacks: [{ primary: ['backup'] }] });
    const response = await postJson(url, chat('primary'));
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get('x-litellm-model-id'), 'b');
    assert.equal(response.headers.get('x-litellm-model-group'), 'backup');
    assert.equal(response.headers.get('x-litellm-model-api-base'), `${mock.url}/v1`);
    assert.equal(headerNumber(response, 'x-litellm-attempted-fallbacks'), 1);
    assert.equal(headerNumber(response, 'x-litellm-attempted-retries'), 1);
  });

  test('context-window errors use context_window_fallbacks, content-policy errors content_policy_fallbacks', async () => {
    const url = await start(
      [entry('small', 'context_window=1', 's'), entry('big', '', 'b'), entry('strict', 'content_policy=1', 'st'), entry('lenient', '', 'l'), entry('generic', '', 'g')],
      { context_window_fallbacks: [{ small: ['big'] }], content_policy_fallbacks: [{ strict: ['lenient'] }], fallbacks: [{ small: ['generic'] }, { strict: ['generic'] }] },
    );
    const small = await postJson(url, chat('small'));
    assert.equal(small.headers.get('x-litellm-model-group'), 'big');
    assert.equal(headerNumber(small, 'x-litellm-attempted-retries'), 0);
    const strict = await postJson(url, chat('strict'));
    assert.equal(strict.headers.get('x-litellm-model-group'), 'lenient');
  });

  test('default_fallbacks apply to groups without their own; request fallbacks win', async () => {
    const url = await start([entry('down', 'status=500', 'd'), entry('spare', '', 's'), entry('other', '', 'o')], { num_retries: 0, default_fallbacks: ['spare'] });
    assert.equal((await postJson(url, chat('down'))).headers.get('x-litellm-model-group'), 'spare');
    assert.equal((await postJson(url, chat('down', { fallbacks: ['other'] }))).headers.get('x-litellm-model-group'), 'other');
  });

  test('max_fallbacks bounds the hops; a chain ends with the last error', async () => {
    const list = [entry('a', 'status=500', 'a'), entry('b', 'status=502', 'b'), entry('c', '', 'c')];
    const url = await start(list, { num_retries: 0, max_fallbacks: 1, fallbacks: [{ a: ['b', 'c'] }] });
    const response = await postJson(url, chat('a'));
    assert.equal(headerNumber(response, 'x-litellm-attempted-fallbacks'), 1);
    await expectError(response, 502, 'server_error');
  });

  test("LiteLLM's mock_testing_*fallbacks flags fail the first group on purpose", async () => {
    const url = await start([entry('a', '', 'a'), entry('b', '', 'b'), entry('c', '', 'c')], { fallbacks: [{ a: ['b'] }], context_window_fallbacks: [{ a: ['c'] }] });
    assert.equal((await postJson(url, chat('a', { mock_testing_fallbacks: true }))).headers.get('x-litellm-model-group'), 'b');
    assert.equal((await postJson(url, chat('a', { mock_testing_context_fallbacks: true }))).headers.get('x-litellm-model-group'), 'c');
    assert.equal(Object.values(await upstreamCalls()).reduce((sum, n) => sum + n, 0), 2);
  });

  test('bad requests do not fall back', async () => {
    const url = await start([entry('a', 'status=400', 'a'), entry('b', '', 'b')], { fallbacks: [{ a: ['b'] }] });
    await expectError(await postJson(url, chat('a')), 400, 'invalid_request_error');
  });
});

describe('cooldowns', () => {
  test('a deployment failing more than allowed_fails cools down and gets no traffic', async () => {
    const url = await start([entry('m', 'status=500', 'bad'), entry('m', '', 'good')], { allowed_fails: 1, num_retries: 2 });
    for (let index = 0; index < 20; index++) assert.equal((await postJson(url, chat('m'))).status, 200);
    const calls = await upstreamCalls();
    const badCalls = Object.entries(calls).filter(([path]) => path.includes('status=500')).reduce((sum, [, n]) => sum + n, 0);
    assert.equal(badCalls, 2, JSON.stringify(calls));
  });

  test('every deployment cooling → 429 "No deployments available" with retry-after; back after cooldown_time', async () => {
    const url = await start([entry('m', 'fail_first=1,status=429', 'a'), entry('m', 'fail_first=1,status=429,latency=0', 'b')], { num_retries: 1, cooldown_time: 0.5 });
    const first = await postJson(url, chat('m'));
    await expectError(first, 429, 'rate_limit_error');
    const second = await postJson(url, chat('m'));
    assert.ok(Number(second.headers.get('retry-after')) >= 1);
    const error = await expectError(second, 429, 'rate_limit_error');
    assert.match(error.message, /No deployments available for selected model/);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const third = await postJson(url, chat('m'));
    assert.equal(third.status, 200, await third.clone().text());
  });

  test('disable_cooldowns keeps failing deployments in rotation', async () => {
    const url = await start([entry('m', 'status=429', 'a'), entry('m', 'status=429,latency=0', 'b')], { num_retries: 0, disable_cooldowns: true });
    for (let index = 0; index < 4; index++) {
      const error = await expectError(await postJson(url, chat('m')), 429, 'rate_limit_error');
      assert.doesNotMatch(error.message, /No deployments available/);
    }
  });

  test('order tiers: the lower order serves, the next tier takes over while it cools', async () => {
    const url = await start([entry('m', 'status=500', 'first', { order: 1 }), entry('m', '', 'second', { order: 2 })], { allowed_fails: 0, num_retries: 1 });
    const response = await postJson(url, chat('m'));
    assert.equal(response.headers.get('x-litellm-model-id'), 'second');
    assert.equal(headerNumber(response, 'x-litellm-attempted-retries'), 1);
    const next = await postJson(url, chat('m'));
    assert.equal(headerNumber(next, 'x-litellm-attempted-retries'), 0);
  });
});

describe('streams', () => {
  test('a stream failing before its first byte is retried; the client sees one clean stream', async () => {
    const url = await start([entry('m', 'fail_first=1', 'a')]);
    const response = await postJson(url, chat('m', { stream: true }));
    assert.equal(response.status, 200);
    assert.equal(headerNumber(response, 'x-litellm-attempted-retries'), 1);
    const text = await response.text();
    assert.match(text, /data: \[DONE\]/);
    assert.doesNotMatch(text, /"error"/);
  });

  test('an error event as the first upstream chunk falls back before any byte is sent', async () => {
    const url = await start([entry('m', 'error_after=0', 'a'), entry('spare', '', 's')], { num_retries: 0, fallbacks: [{ m: ['spare'] }] });
    const response = await postJson(url, chat('m', { stream: true }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-litellm-model-group'), 'spare');
    const text = await response.text();
    assert.doesNotMatch(text, /"error"/);
  });

  test('a failure after the first byte ends the stream with one error event', async () => {
    const url = await start([entry('m', 'drop_after=2', 'a'), entry('spare', '', 's')], { fallbacks: [{ m: ['spare'] }] });
    const response = await postJson(url, chat('m', { stream: true }));
    assert.equal(response.status, 200);
    const events = (await response.text()).split('\n\n').filter((event) => event.startsWith('data: '));
    assert.match(events.at(-1)!, /"error"/);
    assert.equal(events.filter((event) => event.includes('"error"')).length, 1);
  });
});

describe('timeouts', () => {
  test('deployment timeout → 408 with x-litellm-timeout, retried then answered as timeout', async () => {
    const url = await start([entry('m', 'hang=1', 'a', { timeout: 0.2 })], { num_retries: 1 });
    const response = await postJson(url, chat('m'));
    assert.equal(response.headers.get('x-litellm-timeout'), '0.2');
    assert.equal(headerNumber(response, 'x-litellm-attempted-retries'), 1);
    await expectError(response, 408, 'timeout');
  });

  test('per-request timeout: body `timeout` and the x-litellm-timeout header', async () => {
    const url = await start([entry('m', 'hang=1', 'a')], { num_retries: 0 });
    const viaBody = await postJson(url, chat('m', { timeout: 0.15 }));
    assert.equal(viaBody.headers.get('x-litellm-timeout'), '0.15');
    await expectError(viaBody, 408, 'timeout');
    const viaHeader = await postJson(url, chat('m'), { 'x-litellm-timeout': '0.1' });
    assert.equal(viaHeader.headers.get('x-litellm-timeout'), '0.1');
    await expectError(viaHeader, 408, 'timeout');
  });

  test('stream_timeout applies to streams; a timed-out group falls back', async () => {
    const url = await start([entry('slow', 'hang=1', 'a', { timeout: 30, stream_timeout: 0.15 }), entry('fast', '', 'f')], { num_retries: 0, fallbacks: [{ slow: ['fast'] }] });
    const response = await postJson(url, chat('slow', { stream: true }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-litellm-model-group'), 'fast');
    await response.text();
  });
});

describe('pre-call checks and tags', () => {
  test('deployments whose context window is too small are skipped; none left → context_window_fallbacks', async () => {
    const url = await start(
      [entry('m', '', 'tiny', {}, { max_input_tokens: 10 }), entry('m', 'latency=0', 'roomy', {}, { max_input_tokens: 100_000 }), entry('short', '', 'sh', {}, { max_input_tokens: 10 }), entry('long', '', 'lg')],
      { enable_pre_call_checks: true, context_window_fallbacks: [{ short: ['long'] }] },
    );
    const prompt = 'word '.repeat(200);
    for (let index = 0; index < 5; index++) {
      const response = await postJson(url, { model: 'm', messages: [{ role: 'user', content: prompt }] });
      assert.equal(response.headers.get('x-litellm-model-id'), 'roomy');
    }
    const fellBack = await postJson(url, { model: 'short', messages: [{ role: 'user', content: prompt }] });
    assert.equal(fellBack.headers.get('x-litellm-model-group'), 'long');
    const noFallback = await postJson(url.replace('/v1/chat/completions', '/v1/chat/completions'), { model: 'm', messages: [{ role: 'user', content: 'word '.repeat(200_000) }] });
    await expectError(noFallback, 400, 'invalid_request_error');
  });

  test('rpm pre-call check: a deployment whose rpm is used up is skipped', async () => {
    const url = await start([entry('m', '', 'one', { rpm: 2 }), entry('m', 'latency=0', 'two', { rpm: 1000 })], { enable_pre_call_checks: true, routing_strategy: 'least-busy' });
    const ids: string[] = [];
    for (let index = 0; index < 10; index++) ids.push((await postJson(url, chat('m'))).headers.get('x-litellm-model-id')!);
    assert.ok(ids.filter((id) => id === 'one').length <= 2, ids.join());
  });

  test('max_parallel_requests: a deployment at its limit is skipped; all at the limit → 429 with retry-after', async () => {
    const url = await start([entry('m', 'latency=400', 'one', { max_parallel_requests: 1 })], { num_retries: 0 });
    const first = postJson(url, chat('m'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await postJson(url, chat('m'));
    assert.equal(second.headers.get('retry-after'), '1');
    await expectError(second, 429, 'rate_limit_error');
    assert.equal((await first).status, 200);
  });

  test('tag filtering routes tagged requests to tagged deployments', async () => {
    const url = await start([entry('m', '', 'free', { tags: ['free'] }), entry('m', 'latency=0', 'paid', { tags: ['paid'] })], { enable_tag_filtering: true });
    for (let index = 0; index < 5; index++) {
      assert.equal((await postJson(url, chat('m', { tags: ['paid'] }))).headers.get('x-litellm-model-id'), 'paid');
      assert.equal((await postJson(url, chat('m', { metadata: { tags: ['free'] } }))).headers.get('x-litellm-model-id'), 'free');
    }
    await expectError(await postJson(url, chat('m', { tags: ['vip'] })), 400, 'invalid_request_error');
  });
});

describe('GET /health', () => {
  test('runs a tiny real call per deployment and lists healthy and unhealthy ones (master key required)', async () => {
    await start([entry('m', '', 'ok'), entry('m', 'status=500', 'broken'), { model_name: 'local', litellm_params: { model: 'openai/x', mock_response: 'hi' }, model_info: { id: 'mocked' } }], {}, { general_settings: { master_key: 'sk-health' } });
    assert.equal((await fetch(`${gateway!.url}/health`)).status, 401);
    const response = await fetch(`${gateway!.url}/health`, { headers: { authorization: 'Bearer sk-health' } });
    assert.equal(response.status, 200);
    const report = (await response.json()) as { healthy_count: number; unhealthy_count: number; healthy_endpoints: Array<{ model_id: string }>; unhealthy_endpoints: Array<{ model_id: string; error: string }> };
    assert.equal(report.healthy_count, 2);
    assert.equal(report.unhealthy_count, 1);
    assert.deepEqual(report.healthy_endpoints.map((endpoint) => endpoint.model_id).sort(), ['mocked', 'ok']);
    assert.equal(report.unhealthy_endpoints[0]!.model_id, 'broken');
    const probe = (await (await fetch(`${mock.url}/mock/requests`)).json()) as Array<{ body: { max_tokens?: number } }>;
    assert.ok(probe.every((entry) => entry.body.max_tokens === 1));
  });

  test('background_health_checks answers from the last round without calling upstream again', async () => {
    await start([entry('m', '', 'ok')], {}, { general_settings: { background_health_checks: true, health_check_interval: 60 } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = ((await (await fetch(`${mock.url}/mock/requests`)).json()) as unknown[]).length;
    for (let index = 0; index < 3; index++) {
      const report = (await (await fetch(`${gateway!.url}/health`)).json()) as { healthy_count: number };
      assert.equal(report.healthy_count, 1);
    }
    assert.equal(((await (await fetch(`${mock.url}/mock/requests`)).json()) as unknown[]).length, before);
  });
});

describe('config reload', () => {
  test('router settings swap in with the snapshot; cooldowns carry over by deployment id', async () => {
    const list = [entry('m', 'status=429', 'bad'), entry('m', '', 'good')];
    const url = await start(list, { num_retries: 3, cooldown_time: 30 });
    for (let index = 0; index < 10; index++) assert.equal((await postJson(url, chat('m'))).status, 200);
    const { config } = validateConfigObject({ model_list: list, router_settings: { num_retries: 1, cooldown_time: 30 } }, process.env);
    gateway!.gateway.reload(buildSnapshot(config, process.env));
    await fetch(`${mock.url}/mock/reset`, { method: 'POST' });
    for (let index = 0; index < 5; index++) {
      const response = await postJson(url, chat('m'));
      assert.equal(headerNumber(response, 'x-litellm-max-retries'), 1);
      assert.equal(response.headers.get('x-litellm-model-id'), 'good');
    }
    assert.equal(Object.keys(await upstreamCalls()).filter((path) => path.includes('status=429')).length, 0);
  });
});
