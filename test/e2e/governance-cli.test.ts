// Governance through the real CLI: two workers sharing one SQLite file, spend drained on SIGTERM, and the
// management API refused when no master key is configured.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { freePort, startCli, type RunningCli } from '../support/gateway.js';
import { chat, eventually } from './governance-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-gov-cli-'));
let mockCli: RunningCli;

before(async () => {
  mockCli = await startCli(['mock', '--port', '0'], {}, /mock listening on http:\/\/[^:]+:(\d+)/);
});
after(async () => {
  await mockCli?.stop();
});

function writeConfig(name: string, general: string): string {
  const file = join(dir, name);
  writeFileSync(file, `model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n      api_base: ${mockCli.url}/v1\n      api_key: upstream\ngeneral_settings:\n${general}`);
  return file;
}

test('two workers share one SQLite file; a key made on one works on both; SIGTERM drains pending spend', async () => {
  const dbFile = join(dir, 'workers.db');
  const config = writeConfig('workers.yaml', '  master_key: sk-cli-gov\n  proxy_batch_write_at: 300\n');
  const port = await freePort();
  const cli = await startCli(['--config', config, '--port', String(port), '--num_workers', '2'], { DATABASE_URL: `sqlite://${dbFile}` });
  let expected = 0;
  let token = '';
  try {
    const response = await fetch(`${cli.url}/key/generate`, { method: 'POST', headers: { authorization: 'Bearer sk-cli-gov', 'content-type': 'application/json' }, body: '{"key_alias":"cli"}' });
    assert.equal(response.status, 200);
    const created = (await response.json()) as { key: string; token: string };
    token = created.token;
    // Within a second every worker knows the key (change-log polling), whichever worker answers.
    await eventually(async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => chat(cli.url, created.key)));
      assert.ok(results.every((result) => result.status === 200));
    }, 3_000);
    const results = await Promise.all(Array.from({ length: 40 }, () => chat(cli.url, created.key)));
    for (const result of results) {
      assert.equal(result.status, 200);
      expected += Number(result.headers.get('x-litellm-response-cost'));
    }
  } finally {
    assert.equal(await cli.stop('SIGTERM'), 0);
  }
  const db = new BetterSqlite3(dbFile, { readonly: true });
  try {
    const logs = db.prepare('SELECT COUNT(*) AS n, SUM(spend) AS spend FROM "LiteLLM_SpendLogs" WHERE api_key = ?').get(token) as { n: number; spend: number };
    assert.ok(logs.n >= 40, `logs ${logs.n}`);
    const key = db.prepare('SELECT spend FROM "LiteLLM_VerificationToken" WHERE token = ?').get(token) as { spend: number };
    assert.ok(Math.abs(key.spend - logs.spend) < 1e-12, 'key spend equals the sum of its logs');
    assert.ok(key.spend >= expected - 1e-12, `key spend ${key.spend} covers the 40 requests (${expected})`);
  } finally {
    db.close();
  }
});

test('without a master key the data plane is open and the management API is refused', async () => {
  const config = writeConfig('open.yaml', '  proxy_batch_write_at: 1\n');
  const port = await freePort();
  const cli = await startCli(['--config', config, '--port', String(port)], { DATABASE_URL: `sqlite://${join(dir, 'open.db')}`});
  try {
    assert.equal((await chat(cli.url, 'anything')).status, 200);
    const refused = await fetch(`${cli.url}/key/generate`, { method: 'POST', body: '{}' });
    assert.equal(refused.status, 401);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /no master_key is configured/);
  } finally {
    await cli.stop();
  }
});
