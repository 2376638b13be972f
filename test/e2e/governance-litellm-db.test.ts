// Sluice on a Postgres database that LiteLLM created: LiteLLM's keys keep working and their spend keeps adding up;
// and when the database goes away mid-traffic, known keys keep working and spend arrives once it is back.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startMockServer } from '../../src/mockserver/index.js';
import { MASTER_KEY, freshPostgres, startGovernedGateway } from '../support/governed-gateway.js';
import { chat, eventually, modelList, sleep } from './governance-suite.js';

const LITELLM_KEY = 'sk-litellm-created-1234';
const TOKEN = createHash('sha256').update(LITELLM_KEY).digest('hex');

let database: Awaited<ReturnType<typeof freshPostgres>> = null;
let mock: Awaited<ReturnType<typeof startMockServer>>;

before(async () => {
  database = await freshPostgres('litellm');
  if (database === null) return;
  mock = await startMockServer();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(readFileSync(new URL('../fixtures/litellm-schema.sql', import.meta.url), 'utf8'));
  await client.query(`INSERT INTO "LiteLLM_TeamTable" (team_id, team_alias, models, spend) VALUES ('team-l', 'litellm team', ARRAY['gpt-4o'], 1.5)`);
  await client.query(`INSERT INTO "LiteLLM_VerificationToken" (token, key_name, key_alias, spend, models, team_id, max_budget, rpm_limit, metadata)
    VALUES ($1, 'sk-...1234', 'made-by-litellm', 2.25, ARRAY[]::TEXT[], 'team-l', 100, 1000, '{"note":"litellm"}')`, [TOKEN]);
  await client.end();
});

after(async () => {
  if (database === null) return;
  await mock.close();
  await database.drop();
});

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: database!.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

test('a LiteLLM-created database: its key works, its spend keeps adding up, nothing is rewritten', async (t) => {
  if (database === null) return t.skip('Postgres unreachable (set CI=true to require it)');
  const columnsBefore = await query<{ n: string }>(`SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = 'public'`);
  const gw = await startGovernedGateway({ model_list: modelList(mock.url), general_settings: { master_key: MASTER_KEY } }, database.url);
  try {
    const response = await chat(gw.url, LITELLM_KEY);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-litellm-key-spend'), '2.25');
    const cost = Number(response.headers.get('x-litellm-response-cost'));
    assert.ok(cost > 0);
    const denied = await chat(gw.url, LITELLM_KEY, { model: 'gpt-4o-mini' });
    assert.equal(denied.json.error.type, 'team_model_access_denied');
    await eventually(async () => {
      const [key] = await query<{ spend: number }>(`SELECT spend FROM "LiteLLM_VerificationToken" WHERE token = $1`, [TOKEN]);
      assert.ok(Math.abs(key!.spend - (2.25 + cost)) < 1e-12, `spend ${key!.spend}`);
    });
    const [team] = await query<{ spend: number }>(`SELECT spend FROM "LiteLLM_TeamTable" WHERE team_id = 'team-l'`);
    assert.ok(Math.abs(team!.spend - (1.5 + cost)) < 1e-12);
    const logs = await query<{ api_key: string; team_id: string; model_group: string }>(`SELECT api_key, team_id, model_group FROM "LiteLLM_SpendLogs"`);
    assert.deepEqual(logs, [{ api_key: TOKEN, team_id: 'team-l', model_group: 'gpt-4o' }]);
    const daily = await query<{ api_requests: string }>(`SELECT api_requests FROM "LiteLLM_DailyUserSpend" WHERE api_key = $1`, [TOKEN]);
    assert.equal(Number(daily[0]!.api_requests), 1);
    // Migrations added only what was missing: LiteLLM's own columns and indexes are untouched, none duplicated.
    const duplicates = await query<{ n: string }>(`SELECT count(*) AS n FROM pg_indexes WHERE tablename = 'LiteLLM_DailyUserSpend'`);
    assert.equal(Number(duplicates[0]!.n), 8);
    const columnsAfter = await query<{ n: string }>(`SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'Sluice_ChangeLog'`);
    assert.ok(Number(columnsAfter[0]!.n) >= Number(columnsBefore[0]!.n));
    const info = await gw.admin(`/key/info?key=${LITELLM_KEY}`);
    assert.equal(info.json.info.key_alias, 'made-by-litellm');
    assert.deepEqual(info.json.info.metadata, { note: 'litellm' });
  } finally {
    await gw.close();
  }
});

/** A TCP proxy in front of Postgres that can be cut (every connection dropped, new ones refused) and restored. */
async function startCuttableProxy(target: URL): Promise<{ port: number; cut(): void; restore(): void; close(): Promise<void> }> {
  let open = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!open) return client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('database away mid-traffic: known keys keep working, spend arrives after it returns', async (t) => {
  if (database === null) return t.skip('Postgres unreachable (set CI=true to require it)');
  const target = new URL(database.url);
  const proxy = await startCuttableProxy(target);
  const viaProxy = `postgres://${target.username}@127.0.0.1:${proxy.port}${target.pathname}`;
  const gw = await startGovernedGateway({ model_list: modelList(mock.url), general_settings: { master_key: MASTER_KEY, database_connection_timeout: 1 } }, viaProxy);
  try {
    const created = await gw.admin('/key/generate', { key_alias: 'outage' });
    const key = created.json.key as string;
    await eventually(async () => assert.equal((await gw.admin('/spend/logs?api_key=' + key)).status, 200));
    proxy.cut();
    let expected = 0;
    for (let i = 0; i < 20; i++) {
      const response = await chat(gw.url, key);
      assert.equal(response.status, 200, 'a known key keeps working while the database is away');
      expected += Number(response.headers.get('x-litellm-response-cost'));
    }
    await sleep(600);
    const readiness = (await (await fetch(`${gw.url}/health/readiness`)).json()) as { db: string };
    assert.equal(readiness.db, 'Not connected');
    const [during] = await query<{ spend: number }>(`SELECT spend FROM "LiteLLM_VerificationToken" WHERE token = $1`, [created.json.token]);
    assert.equal(during!.spend, 0);
    proxy.restore();
    await eventually(async () => {
      const [row] = await query<{ spend: number }>(`SELECT spend FROM "LiteLLM_VerificationToken" WHERE token = $1`, [created.json.token]);
      assert.ok(Math.abs(row!.spend - expected) < 1e-12, `spend ${row!.spend} vs ${expected}`);
    }, 15_000);
    const logs = await query<{ n: string }>(`SELECT count(*) AS n FROM "LiteLLM_SpendLogs" WHERE api_key = $1`, [created.json.token]);
    assert.equal(Number(logs[0]!.n), 20);
    await eventually(async () => assert.equal(((await (await fetch(`${gw.url}/health/readiness`)).json()) as { db: string }).db, 'connected'), 5_000);
  } finally {
    proxy.restore();
    await gw.close();
    await proxy.close();
  }
});
