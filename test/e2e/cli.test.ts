// The `sluice` command as users run it: flags, config validation, defaults, workers, graceful shutdown.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { freePort, runCli, startCli, type RunningCli } from '../support/gateway.js';
import { postJson } from '../support/http.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
let mockCli: RunningCli;
let configFile: string;

before(async () => {
  mockCli = await startCli(['mock', '--port', '0', '--chunk-delay-ms', '20'], {}, /mock listening on http:\/\/[^:]+:(\d+)/);
  configFile = join(dir, 'config.yaml');
  writeFileSync(
    configFile,
    `model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n      api_base: ${mockCli.url}/v1\n      api_key: os.environ/TEST_UPSTREAM_KEY\ngeneral_settings:\n  master_key: sk-cli-master\n`,
  );
});

after(async () => {
  await mockCli?.stop();
});

describe('flags', () => {
  test('--version and --help', async () => {
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^sluice \d+\.\d+\.\d+/);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    for (const flag of ['--config', '--port', '--host', '--num_workers', '--detailed_debug', '--validate_config', '--role']) assert.ok(help.stdout.includes(flag), flag);
  });

  test('unknown flags and bad values exit non-zero with a clear message', async () => {
    const unknown = await runCli(['--turbo']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Unknown option --turbo/);
    const badPort = await runCli(['--port', 'eighty']);
    assert.equal(badPort.code, 1);
    assert.match(badPort.stderr, /--port expects a whole number/);
    const badRole = await runCli(['--role', 'both']);
    assert.match(badRole.stderr, /--role expects all, data or control/);
  });
});

describe('config validation', () => {
  test('--validate_config accepts a good config', async () => {
    const result = await runCli(['--validate_config', '-c', configFile], { TEST_UPSTREAM_KEY: 'k' });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Config OK/);
  });

  test('--validate-config (kebab) prints every problem with its path and exits 1', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'model_list:\n  - model_name: a\n    litellm_params:\n      model: 7\n  - model_name: b\n    litellm_params:\n      model: nosuchprovider/x\nrouter_settings:\n  routing_strategy: fastest\n');
    const result = await runCli(['--validate-config', '--config', bad]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /model_list\[0\]\.litellm_params\.model: expected string, found number 7/);
    assert.match(result.stderr, /router_settings\.routing_strategy: expected one of/);
  });

  test('starting with a bad config exits non-zero naming the path', async () => {
    const bad = join(dir, 'bad2.yaml');
    writeFileSync(bad, 'model_list:\n  - model_name: b\n    litellm_params:\n      model: nosuchprovider/x\n');
    const result = await runCli(['--config', bad, '--port', '0']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /model_list\[0\]\.litellm_params\.model: expected provider\/model/);
  });

  test('unknown keys warn once and do not stop the gateway', async () => {
    const warned = join(dir, 'warned.yaml');
    writeFileSync(warned, 'model_list: []\ngeneral_settings:\n  not_a_real_setting: 1\n');
    const result = await runCli(['--validate_config', '--config', warned]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout.match(/not_a_real_setting/g)?.length, 1);
  });
});

describe('serving', () => {
  test('without --config: the built-in mock model answers, no key needed', async () => {
    const gateway = await startCli(['--port', '0', '--host', '127.0.0.1'], { OPENAI_API_KEY: '' });
    try {
      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'none', maxRetries: 0 });
      const result = await client.chat.completions.create({ model: 'mock', messages: [{ role: 'user', content: 'first curl' }] });
      assert.match(result.choices[0]!.message.content!, /first curl/);
    } finally {
      assert.equal(await gateway.stop(), 0);
    }
  });

  test('with --config and env keys: the master key guards the gateway in front of `sluice mock`', async () => {
    const gateway = await startCli(['-c', configFile, '--port', '0', '--host', '127.0.0.1'], { TEST_UPSTREAM_KEY: 'k' });
    try {
      assert.equal((await postJson(`${gateway.url}/v1/chat/completions`, { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })).status, 401);
      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-cli-master', maxRetries: 0 });
      const result = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'via cli' }] });
      assert.match(result.choices[0]!.message.content!, /via cli/);
    } finally {
      await gateway.stop();
    }
  });

  test('--role control serves no LLM routes; --role data serves no /model/info', async () => {
    const control = await startCli(['-c', configFile, '--port', '0', '--host', '127.0.0.1', '--role', 'control'], { TEST_UPSTREAM_KEY: 'k' });
    const data = await startCli(['-c', configFile, '--port', '0', '--host', '127.0.0.1', '--role', 'data'], { TEST_UPSTREAM_KEY: 'k' });
    try {
      const headers = { authorization: 'Bearer sk-cli-master' };
      assert.equal((await postJson(`${control.url}/v1/chat/completions`, { model: 'gpt-4o', messages: [] }, headers)).status, 404);
      assert.equal((await fetch(`${control.url}/model/info`, { headers })).status, 200);
      assert.equal((await fetch(`${data.url}/model/info`, { headers })).status, 404);
      assert.equal((await fetch(`${data.url}/v1/models`, { headers })).status, 200);
    } finally {
      await control.stop();
      await data.stop();
    }
  });

  test('SIGTERM lets an in-flight stream finish, then exits 0', async () => {
    const gateway = await startCli(['-c', configFile, '--port', '0', '--host', '127.0.0.1'], { TEST_UPSTREAM_KEY: 'k' });
    const response = await postJson(
      `${gateway.url}/v1/chat/completions`,
      { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'slow stream' }] },
      { authorization: 'Bearer sk-cli-master' },
    );
    assert.equal(response.status, 200);
    const exited = gateway.stop('SIGTERM');
    const text = await response.text();
    assert.match(text, /data: \[DONE\]/, 'the stream completed despite the shutdown');
    assert.equal(await exited, 0);
  });
});

describe('workers', () => {
  test('--num_workers 2 serves from two processes and replaces a worker that dies', async () => {
    const port = await freePort();
    const gateway = await startCli(['-c', configFile, '--port', String(port), '--host', '127.0.0.1', '--num_workers', '2'], { TEST_UPSTREAM_KEY: 'k' }, /listening on http:\/\/[^:]+:(\d+)[\s\S]*listening on http:\/\/[^:]+:(\d+)/);
    try {
      // The primary's other child is the control-plane process (the config has a master key): not a worker.
      const controlPid = Number(/control plane \(management API, UI\) in process (\d+)/.exec(gateway.output())?.[1] ?? 0);
      assert.ok(controlPid > 0, 'one control-plane process for the group');
      const childPids = (): number[] =>
        execFileSync('ps', ['-o', 'pid=', '--ppid', String(gateway.process.pid)]).toString().trim().split(/\s+/).filter(Boolean).map(Number).filter((pid) => pid !== controlPid);
      const before = childPids();
      assert.equal(before.length, 2);
      process.kill(before[0]!, 'SIGKILL');
      let after: number[] = [];
      for (let attempt = 0; attempt < 50; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = childPids();
        if (after.length === 2 && !after.includes(before[0]!)) break;
      }
      assert.equal(after.length, 2, 'a replacement worker started');
      assert.ok(!after.includes(before[0]!));
      for (let index = 0; index < 10; index++) {
        const response = await postJson(`http://127.0.0.1:${port}/v1/chat/completions`, { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }, { authorization: 'Bearer sk-cli-master' });
        assert.equal(response.status, 200);
      }
      assert.match(gateway.output(), /restarting/);
    } finally {
      assert.equal(await gateway.stop(), 0);
    }
  });
});
