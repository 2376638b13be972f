// Routing limits and cooldowns hold across workers (cluster IPC) and across instances sharing the real Redis.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { freePort, startCli, startGateway } from '../support/gateway.js';
import { postJson } from '../support/http.js';
import { startMockServer, type MockServer } from '../support/mock.js';

let mock: MockServer;
const RPM = 6;
const chat = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

before(async () => {
  mock = await startMockServer();
});
after(async () => {
  await mock?.close();
});
beforeEach(async () => {
  await fetch(`${mock.url}/mock/reset`, { method: 'POST' });
});

function config(extraRouter: Record<string, unknown> = {}) {
  return {
    model_list: [
      { model_name: 'm', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/chunks=2/v1`, api_key: 'k', rpm: RPM }, model_info: { id: 'limited' } },
      { model_name: 'm', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/chunks=3/v1`, api_key: 'k' }, model_info: { id: 'open' } },
    ],
    router_settings: { enable_pre_call_checks: true, ...extraRouter },
  };
}

/** Per-minute counters reset on the minute: start a burst early in one so it cannot straddle two. */
async function awaitFreshMinute(): Promise<void> {
  const second = new Date().getSeconds();
  if (second > 45) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
}

async function callsTo(fragment: string): Promise<number> {
  const recorded = (await (await fetch(`${mock.url}/mock/requests`)).json()) as Array<{ path: string }>;
  return recorded.filter((entry) => entry.path.includes(fragment)).length;
}

/** Sends `total` requests, `parallel` at a time, round-robin over `urls`. */
async function burst(urls: string[], total: number, parallel: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      const response = await postJson(`${urls[index % urls.length]}/v1/chat/completions`, chat);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return statuses;
}

async function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(6379, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('shared routing state', () => {
  test('rpm holds exactly across 2 workers (quota leased from the primary)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-router-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, JSON.stringify(config()));
    const port = await freePort();
    const cli = await startCli(['-c', file, '--port', String(port), '--host', '127.0.0.1', '--num_workers', '2'], {}, /listening on http:\/\/[^:]+:(\d+)[\s\S]*listening on http:\/\/[^:]+:(\d+)/);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await awaitFreshMinute();
      const statuses = await burst([cli.url], 30, 6);
      assert.ok(statuses.every((status) => status === 200), statuses.join());
      const limited = await callsTo('chunks=2');
      assert.ok(limited <= RPM, `limited deployment took ${limited} requests (rpm ${RPM})`);
      assert.ok(limited >= RPM - 2, `limited deployment took only ${limited} requests`);
    } finally {
      await cli.stop();
    }
  });

  test('rpm and cooldowns hold across 2 instances sharing Redis', async (t) => {
    if (!(await redisReachable())) {
      if (process.env.CI === 'true') assert.fail('Redis at 127.0.0.1:6379 is required when CI=true');
      t.skip('Redis at 127.0.0.1:6379 is not reachable');
      return;
    }
    const env = { ...process.env, REDIS_URL: 'redis://127.0.0.1:6379', SLUICE_ROUTER_REDIS_PREFIX: `sluice-test:${randomUUID()}:` };
    const one = await startGateway(config(), {}, env);
    const two = await startGateway(config(), {}, env);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await awaitFreshMinute();
      const statuses = await burst([one.url, two.url], 30, 6);
      assert.ok(statuses.every((status) => status === 200), statuses.join());
      const limited = await callsTo('chunks=2');
      assert.ok(limited <= RPM, `limited deployment took ${limited} requests (rpm ${RPM})`);
      assert.ok(limited >= RPM - 2, `limited deployment took only ${limited} requests`);
    } finally {
      await one.close();
      await two.close();
    }
  });

  test('a cooldown started on one instance is honoured by the other (Redis)', async (t) => {
    if (!(await redisReachable())) {
      if (process.env.CI === 'true') assert.fail('Redis at 127.0.0.1:6379 is required when CI=true');
      t.skip('Redis at 127.0.0.1:6379 is not reachable');
      return;
    }
    const env = { ...process.env, REDIS_URL: 'redis://127.0.0.1:6379', SLUICE_ROUTER_REDIS_PREFIX: `sluice-test:${randomUUID()}:` };
    const list = {
      model_list: [
        { model_name: 'm', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/status=429/v1`, api_key: 'k' }, model_info: { id: 'bad' } },
        { model_name: 'm', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'k' }, model_info: { id: 'good' } },
      ],
      router_settings: { cooldown_time: 30, num_retries: 1 },
    };
    const one = await startGateway(list, {}, env);
    const two = await startGateway(list, {}, env);
    try {
      for (let index = 0; index < 20 && (await callsTo('status=429')) === 0; index++) await (await postJson(`${one.url}/v1/chat/completions`, chat)).arrayBuffer();
      assert.equal(await callsTo('status=429'), 1);
      await new Promise((resolve) => setTimeout(resolve, 350));
      for (let index = 0; index < 10; index++) assert.equal((await postJson(`${two.url}/v1/chat/completions`, chat)).headers.get('x-litellm-model-id'), 'good');
      assert.equal(await callsTo('status=429'), 1);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe('shared latency', () => {
  test('latency seen by one instance steers the other (Redis)', async (t) => {
    if (!(await redisReachable())) {
      if (process.env.CI === 'true') assert.fail('Redis at 127.0.0.1:6379 is required when CI=true');
      t.skip('Redis at 127.0.0.1:6379 is not reachable');
      return;
    }
    const env = { ...process.env, REDIS_URL: 'redis://127.0.0.1:6379', SLUICE_ROUTER_REDIS_PREFIX: `sluice-test:${randomUUID()}:` };
    const list = {
      model_list: [
        { model_name: 'm', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/latency=150/v1`, api_key: 'k' }, model_info: { id: 'slow' } },
        { model_name: 'm', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'k' }, model_info: { id: 'fast' } },
      ],
      router_settings: { routing_strategy: 'latency-based-routing' },
    };
    const one = await startGateway(list, {}, env);
    const two = await startGateway(list, {}, env);
    try {
      const seen = new Set<string>();
      for (let index = 0; index < 2; index++) seen.add((await postJson(`${one.url}/v1/chat/completions`, chat)).headers.get('x-litellm-model-id')!);
      assert.deepEqual([...seen].sort(), ['fast', 'slow']);
      await new Promise((resolve) => setTimeout(resolve, 350));
      for (let index = 0; index < 5; index++) assert.equal((await postJson(`${two.url}/v1/chat/completions`, chat)).headers.get('x-litellm-model-id'), 'fast');
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe('shared state backend away', () => {
  test('with Redis unreachable, routing carries on from local state and says so', async () => {
    const { sharedRouterStats } = await import('../../src/router/shared/stats.js');
    const deadPort = await freePort();
    const env = { ...process.env, REDIS_URL: `redis://127.0.0.1:${deadPort}`, SLUICE_ROUTER_REDIS_PREFIX: `sluice-test:${randomUUID()}:` };
    const errorsBefore = sharedRouterStats.backendErrors;
    const gateway = await startGateway(config(), {}, env);
    try {
      const statuses = await burst([gateway.url], 10, 2);
      assert.ok(statuses.every((status) => status === 200), statuses.join());
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.ok(sharedRouterStats.backendErrors > errorsBefore);
      assert.equal(sharedRouterStats.backendUp, 0);
    } finally {
      await gateway.close();
    }
  });
});
