// File and batch ownership across workers: `--num_workers 2` through the real CLI on one database (SQLite, then the
// real Postgres). Every call goes out on a fresh connection, and node:cluster hands connections to workers in turn,
// so each object is looked up by both workers: the owner's key finds it everywhere, another key nowhere.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { freshPostgres } from '../support/governed-gateway.js';
import { freePort, startCli, type RunningCli } from '../support/gateway.js';

const MASTER = 'sk-workers-master';
const TWO_WORKERS = /listening on http:\/\/[^:]+:(\d+)[\s\S]*listening on http:\/\/[^:]+:(\d+)/;
const dir = mkdtempSync(join(tmpdir(), 'sluice-surface-workers-'));
let mockCli: RunningCli;

before(async () => {
  mockCli = await startCli(['mock', '--port', '0'], {}, /mock listening on http:\/\/[^:]+:(\d+)/);
});
after(async () => {
  await mockCli?.stop();
});

interface Answer {
  status: number;
  body: string;
}

/** One call on a connection of its own (no keep-alive), so consecutive calls reach the workers in turn. */
function call(port: number, method: string, path: string, key: string, body?: { type: string; data: Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (body !== undefined) {
      headers['content-type'] = body.type;
      headers['content-length'] = String(body.data.length);
    }
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body?.data);
  });
}

function jsonl(): { type: string; data: Buffer } {
  const boundary = 'sluice-workers-boundary';
  const line = JSON.stringify({ custom_id: 'a', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] } });
  const data = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="in.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n${line}\r\n--${boundary}--\r\n`);
  return { type: `multipart/form-data; boundary=${boundary}`, data };
}

async function statuses(count: number, make: () => Promise<Answer>): Promise<number[]> {
  const out: number[] = [];
  for (let index = 0; index < count; index++) out.push((await make()).status);
  return out;
}

/** Runs the scenario on one database; returns after the gateway stopped (spend drained). */
async function scenario(databaseUrl: string): Promise<void> {
  const config = join(dir, `config-${Date.now()}.yaml`);
  writeFileSync(config, `model_list:\n  - model_name: gpt-4o-mini\n    litellm_params:\n      model: openai/gpt-4o-mini\n      api_base: ${mockCli.url}/v1\n      api_key: upstream\ngeneral_settings:\n  master_key: ${MASTER}\n  proxy_batch_write_at: 1\n`);
  const port = await freePort();
  const cli = await startCli(['--config', config, '--port', String(port), '--num_workers', '2'], { DATABASE_URL: databaseUrl }, TWO_WORKERS);
  try {
    const generated = await fetch(`${cli.url}/key/generate`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' }, body: '{"key_alias":"other"}' });
    const other = ((await generated.json()) as { key: string }).key;

    const uploaded = await call(port, 'POST', '/v1/files', MASTER, jsonl());
    assert.equal(uploaded.status, 200, uploaded.body);
    const fileId = (JSON.parse(uploaded.body) as { id: string }).id;
    assert.deepEqual(await statuses(6, () => call(port, 'GET', `/v1/files/${fileId}`, MASTER)), [200, 200, 200, 200, 200, 200], 'the owner finds the file on both workers');
    assert.deepEqual(await statuses(6, () => call(port, 'GET', `/v1/files/${fileId}`, other)), [404, 404, 404, 404, 404, 404], 'another key finds it on neither');
    for (let index = 0; index < 4; index++) {
      const listed = await call(port, 'GET', '/v1/files', MASTER);
      assert.ok(listed.body.includes(fileId), `listed by both workers: ${listed.status} ${listed.body.slice(0, 300)}`);
      const theirs = await call(port, 'GET', '/v1/files', other);
      assert.ok(!theirs.body.includes(fileId), `not listed for another key: ${theirs.status} ${theirs.body.slice(0, 400)}`);
    }

    const created = await call(port, 'POST', '/v1/batches', MASTER, { type: 'application/json', data: Buffer.from(JSON.stringify({ input_file_id: fileId, endpoint: '/v1/chat/completions', completion_window: '24h' })) });
    assert.equal(created.status, 200, created.body);
    const batchId = (JSON.parse(created.body) as { id: string }).id;
    // The first retrieve completes the batch; every worker retrieves it again: its usage must be counted once.
    assert.deepEqual(await statuses(6, () => call(port, 'GET', `/v1/batches/${batchId}`, MASTER)), [200, 200, 200, 200, 200, 200]);
    assert.deepEqual(await statuses(4, () => call(port, 'POST', `/v1/batches/${batchId}/cancel`, other)), [404, 404, 404, 404]);
  } finally {
    assert.equal(await cli.stop('SIGTERM'), 0);
  }
}

const COUNTED = `SELECT COUNT(*) AS n FROM "LiteLLM_SpendLogs" WHERE call_type = 'aretrieve_batch' AND spend > 0`;

test('--num_workers 2 on SQLite: ownership is shared, batch usage counted once', async () => {
  const file = join(dir, 'workers.db');
  await scenario(`sqlite://${file}`);
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    assert.equal((db.prepare(COUNTED).get() as { n: number }).n, 1);
    assert.equal((db.prepare(`SELECT COUNT(*) AS n FROM "Sluice_OwnedObject"`).get() as { n: number }).n, 3, 'input file, batch, output file');
  } finally {
    db.close();
  }
});

test('--num_workers 2 on Postgres: ownership is shared, batch usage counted once', async (t) => {
  const database = await freshPostgres('surface_workers');
  if (database === null) return t.skip('Postgres is not reachable');
  try {
    await scenario(database.url);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      assert.equal(Number((await client.query(COUNTED)).rows[0].n), 1);
      assert.equal(Number((await client.query(`SELECT COUNT(*) AS n FROM "Sluice_OwnedObject"`)).rows[0].n), 3);
    } finally {
      await client.end();
    }
  } finally {
    await database.drop();
  }
});
