// Config reload without restart, under load: good configs swap in, bad ones are rejected, no request fails.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, startCli, type RunningCli } from '../support/gateway.js';
import { postJson } from '../support/http.js';
import { startMockServer, type MockServer } from '../support/mock.js';

let mock: MockServer;
const dir = mkdtempSync(join(tmpdir(), 'sluice-reload-'));

before(async () => {
  mock = await startMockServer();
});

after(async () => {
  await mock?.close();
});

function entry(name: string, scenario = ''): string {
  return `  - model_name: ${name}\n    litellm_params: {model: openai/gpt-4o, api_base: "${mock.url}${scenario}/v1", api_key: k}\n`;
}

const chat = (model: string) => ({ model, messages: [{ role: 'user', content: 'hi' }] });

/** Keeps `concurrency` requests to `model` in flight until stopped; returns every status seen. */
function load(url: string, model: string, concurrency: number): { stop(): Promise<number[]> } {
  let running = true;
  const statuses: number[] = [];
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      try {
        const response = await postJson(`${url}/v1/chat/completions`, chat(model));
        await response.arrayBuffer();
        statuses.push(response.status);
      } catch {
        statuses.push(0);
      }
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return statuses;
    },
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string, cli: RunningCli, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${cli.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;
const statusOf = async (url: string, model: string) => (await postJson(`${url}/v1/chat/completions`, chat(model))).status;

test('--reload: a good config swaps in, a bad one is rejected, in-flight requests finish', async () => {
  const file = join(dir, 'watched.yaml');
  writeFileSync(file, `model_list:\n${entry('a', '/mock/latency=200')}`);
  const cli = await startCli(['-c', file, '--port', String(await freePort()), '--host', '127.0.0.1', '--reload']);
  const traffic = load(cli.url, 'a', 4);
  try {
    assert.equal(await statusOf(cli.url, 'b'), 400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(file, `model_list:\n${entry('a', '/mock/latency=200')}${entry('b')}`);
    await until(async () => (await statusOf(cli.url, 'b')) === 200, 'model b after reload', cli);
    assert.equal(count(cli.output(), /config reloaded/g), 1);
    writeFileSync(file, `model_list:\n  - model_name: a\n    litellm_params: {model: 7}\n`);
    await until(() => cli.output().includes('config reload rejected'), 'the bad config to be rejected', cli);
    assert.match(cli.output(), /model_list\[0\]\.litellm_params\.model/);
    assert.equal(await statusOf(cli.url, 'b'), 200);
    const statuses = await traffic.stop();
    assert.ok(statuses.length > 10, `only ${statuses.length} requests`);
    assert.deepEqual(new Set(statuses), new Set([200]));
  } finally {
    await traffic.stop();
    await cli.stop();
  }
});

test('SIGHUP with 2 workers: the primary forwards it and every worker reloads', async () => {
  const file = join(dir, 'hup.yaml');
  writeFileSync(file, `model_list:\n${entry('a', '/mock/latency=100')}`);
  const cli = await startCli(['-c', file, '--port', String(await freePort()), '--host', '127.0.0.1', '--num_workers', '2']);
  await until(() => count(cli.output(), /Sluice listening on/g) >= 2, 'two workers', cli);
  const traffic = load(cli.url, 'a', 4);
  try {
    writeFileSync(file, `model_list:\n${entry('a', '/mock/latency=100')}${entry('b')}`);
    cli.process.kill('SIGHUP');
    await until(() => count(cli.output(), /config reloaded/g) >= 2, 'both workers to reload', cli);
    for (let index = 0; index < 6; index++) assert.equal((await postJson(`${cli.url}/v1/chat/completions`, chat('b'), { connection: 'close' })).status, 200);
    writeFileSync(file, 'model_list: 12\n');
    cli.process.kill('SIGHUP');
    await until(() => count(cli.output(), /config reload rejected/g) >= 2, 'both workers to reject', cli);
    for (let index = 0; index < 6; index++) assert.equal((await postJson(`${cli.url}/v1/chat/completions`, chat('b'), { connection: 'close' })).status, 200);
    const statuses = await traffic.stop();
    assert.deepEqual(new Set(statuses), new Set([200]));
  } finally {
    await traffic.stop();
    await cli.stop();
  }
});
