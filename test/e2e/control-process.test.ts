// `--role all` runs the control plane (management API, UI) in a child process that the data plane relays to: changes
// are enforced by every worker before the API answers, bodies pass through unchanged, the child is restarted when it
// dies and stops with its parent, and the Models data carries every worker's routing state.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, startCli, type RunningCli } from '../support/gateway.js';
import { startMockServer, type MockServer } from '../support/mock.js';
import { eventually, sleep } from './governance-suite.js';

const MASTER = 'sk-control-process';
const dir = mkdtempSync(join(tmpdir(), 'sluice-control-process-'));
let mock: MockServer;

before(async () => {
  mock = await startMockServer();
});
after(async () => {
  await mock?.close();
});

function writeConfig(name: string): string {
  const file = join(dir, name);
  const entry = (model: string, base: string, id: string) => `  - model_name: ${model}\n    litellm_params:\n      model: openai/gpt-4o\n      api_base: ${base}\n      api_key: upstream\n    model_info:\n      id: ${id}\n`;
  writeFileSync(file, [
    'model_list:\n',
    entry('gpt-4o', `${mock.url}/v1`, 'gpt-4o-1'),
    entry('gpt-4o-mini', `${mock.url}/v1`, 'gpt-4o-mini-1'),
    // A group whose first deployment always answers 429: it cools down, the second one answers.
    entry('flaky', `${mock.url}/mock/status=429/v1`, 'flaky-bad'),
    entry('flaky', `${mock.url}/v1`, 'flaky-good'),
    'router_settings:\n  num_retries: 2\n  cooldown_time: 60\n',
    `general_settings:\n  master_key: ${MASTER}\n`,
  ].join(''));
  return file;
}

/** One request on a fresh connection, so that node:cluster hands it to any worker (round robin). */
function call(base: string, method: string, path: string, body: unknown, key = MASTER): Promise<{ status: number; json: any; headers: Record<string, string | string[] | undefined> }> {
  const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, {
      method, agent: false,
      headers: { authorization: `Bearer ${key}`, ...(payload === null ? {} : { 'content-type': 'application/json', 'content-length': payload.length }) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, json, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end(payload ?? undefined);
  });
}

const chatBody = (model = 'gpt-4o') => ({ model, messages: [{ role: 'user', content: 'hi' }] });

function controlPid(cli: RunningCli): number {
  const found = /control plane \(management API, UI\) in process (\d+)/.exec(cli.output());
  assert.ok(found, `no control-process line in:\n${cli.output()}`);
  return Number(found[1]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function controlSocketDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('sluice-control-') && !name.startsWith('sluice-control-process-'));
}

test('two workers: each change is enforced by every worker before the API answers; bodies and cookies pass through', async () => {
  const port = await freePort();
  const cli = await startCli(['--config', writeConfig('workers.yaml'), '--port', String(port), '--num_workers', '2'], { DATABASE_URL: `sqlite://${join(dir, 'workers.db')}` });
  try {
    // startCli resolves on the first worker; wait for the second.
    await eventually(async () => assert.equal(cli.output().match(/Sluice listening on/g)?.length, 2));
    const pid = controlPid(cli);
    const base = cli.url;
    const expectAll = async (key: string, status: number, type: string | null, model = 'gpt-4o') => {
      const results = await Promise.all(Array.from({ length: 6 }, () => call(base, 'POST', '/v1/chat/completions', chatBody(model), key)));
      for (const result of results) {
        assert.equal(result.status, status, JSON.stringify(result.json));
        if (type !== null) assert.equal(result.json.error.type, type);
      }
    };
    for (let round = 0; round < 3; round++) {
      const created = await call(base, 'POST', '/key/generate', { key_alias: `round-${round}`, models: ['gpt-4o'] });
      assert.equal(created.status, 200);
      const key = created.json.key as string;
      // No waiting between the API's answer and the next call, on any worker.
      await expectAll(key, 200, null);
      assert.equal((await call(base, 'POST', '/key/block', { key })).status, 200);
      await expectAll(key, 401, 'key_blocked');
      assert.equal((await call(base, 'POST', '/key/unblock', { key })).status, 200);
      await expectAll(key, 200, null);
      assert.equal((await call(base, 'POST', '/key/update', { key, models: ['gpt-4o-mini'] })).status, 200);
      await expectAll(key, 401, 'key_model_access_denied');
      await expectAll(key, 200, null, 'gpt-4o-mini');
      assert.equal((await call(base, 'POST', '/key/delete', { keys: [key] })).status, 200);
      await expectAll(key, 401, 'auth_error', 'gpt-4o-mini');
    }
    // A team change reaches the keys of the team at once too.
    assert.equal((await call(base, 'POST', '/team/new', { team_id: 'ops', models: ['gpt-4o'] })).status, 200);
    const teamKey = (await call(base, 'POST', '/key/generate', { team_id: 'ops' })).json.key as string;
    await expectAll(teamKey, 200, null);
    assert.equal((await call(base, 'POST', '/team/block', { team_id: 'ops' })).status, 200);
    await expectAll(teamKey, 401, null);

    // Request bodies stream through (the control plane's own 1 MB limit answers), responses byte for byte.
    const big = await call(base, 'POST', '/key/generate', { metadata: { blob: 'x'.repeat(1_500_000) } });
    assert.equal(big.status, 413);
    const assets = join(new URL('../../dist/ui/assets/', import.meta.url).pathname);
    const script = readdirSync(assets).find((name) => name.endsWith('.js'))!;
    const served = await fetch(`${base}/ui/assets/${script}`);
    assert.equal(served.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.ok(Buffer.from(await served.arrayBuffer()).equals(readFileSync(join(assets, script))));
    const login = await fetch(`${base}/ui/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: MASTER }) });
    assert.equal(login.status, 200);
    const cookies = login.headers.getSetCookie();
    assert.equal(cookies.length, 2, 'both cookies (session and CSRF) arrive');
    assert.ok(cookies.some((cookie) => cookie.startsWith('sluice_session=') && cookie.includes('HttpOnly') && cookie.includes('SameSite=Strict')));

    // The Models data: the failing deployment cools down; counts come from both workers.
    const models = async () => new Map<string, any>((await call(base, 'GET', '/v2/model/info', undefined)).json.data.map((row: any) => [row.model_info.id, row]));
    // The shuffle picks either deployment: call until the failing one has been tried (and cooled down), then more.
    for (let i = 0; i < 50 && (await models()).get('flaky-bad').router.cooldown_until === null; i++) {
      assert.equal((await call(base, 'POST', '/v1/chat/completions', chatBody('flaky'))).status, 200);
    }
    for (let i = 0; i < 8; i++) assert.equal((await call(base, 'POST', '/v1/chat/completions', chatBody('flaky'))).status, 200);
    const byId = await models();
    const bad = byId.get('flaky-bad').router;
    const good = byId.get('flaky-good').router;
    assert.equal(bad.processes, 2);
    assert.ok(bad.cooldown_until !== null && Date.parse(bad.cooldown_until) > Date.now(), JSON.stringify(bad));
    assert.equal(bad.error_rate, 1);
    assert.ok(good.requests >= 8 && good.error_rate === 0 && good.latency_p50_ms !== null, JSON.stringify(good));
    assert.equal(good.health, 'unknown', 'no health check has run');
    assert.ok(alive(pid));
  } finally {
    assert.equal(await cli.stop('SIGTERM'), 0);
  }
});

test('the control process is restarted when it dies (503 meanwhile, LLM routes unaffected) and stops with its parent', async () => {
  const before = new Set(controlSocketDirs());
  const port = await freePort();
  const cli = await startCli(['--config', writeConfig('single.yaml'), '--port', String(port)], { DATABASE_URL: `sqlite://${join(dir, 'single.db')}` });
  const pid = controlPid(cli);
  try {
    process.kill(pid, 'SIGKILL');
    await eventually(async () => assert.equal(alive(pid), false));
    const during = await call(cli.url, 'GET', '/key/list', undefined);
    if (during.status === 503) {
      assert.equal(during.json.error.type, 'service_unavailable');
      assert.equal(during.headers['retry-after'], '1');
    }
    assert.equal((await call(cli.url, 'POST', '/v1/chat/completions', chatBody())).status, 200);
    await eventually(async () => assert.equal((await call(cli.url, 'GET', '/key/list', undefined)).status, 200), 15_000);
    const readiness = await call(cli.url, 'GET', '/health/readiness', undefined);
    assert.equal(readiness.json.control_plane, 'running');
  } finally {
    assert.equal(await cli.stop('SIGTERM'), 0);
  }
  await sleep(100);
  const left = controlSocketDirs().filter((name) => !before.has(name));
  assert.deepEqual(left, [], 'the private socket directory is removed');
});

test('a parent killed outright takes the control process with it', async () => {
  const port = await freePort();
  const cli = await startCli(['--config', writeConfig('orphan.yaml'), '--port', String(port)], { DATABASE_URL: `sqlite://${join(dir, 'orphan.db')}` });
  const pid = controlPid(cli);
  await cli.stop('SIGKILL');
  await eventually(async () => assert.equal(alive(pid), false), 10_000);
});

test('SLUICE_CONTROL_PROCESS=0 keeps the control plane in the data-plane process', async () => {
  const port = await freePort();
  const cli = await startCli(['--config', writeConfig('inproc.yaml'), '--port', String(port)], { DATABASE_URL: `sqlite://${join(dir, 'inproc.db')}`, SLUICE_CONTROL_PROCESS: '0' });
  try {
    assert.equal(/control plane \(management API, UI\) in process/.test(cli.output()), false);
    const created = await call(cli.url, 'POST', '/key/generate', {});
    assert.equal(created.status, 200);
    assert.equal((await call(cli.url, 'POST', '/v1/chat/completions', chatBody(), created.json.key)).status, 200);
    const info = await call(cli.url, 'GET', '/v2/model/info', undefined);
    assert.equal(info.json.data[0].router.processes, 1);
  } finally {
    assert.equal(await cli.stop('SIGTERM'), 0);
  }
});
