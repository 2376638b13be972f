// Changes through Redis pub/sub and per-model budgets shared through Redis, with two instances on one database
// (skipped when Redis is unreachable outside CI).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { redisMockSuite } from '../support/redis.js';
import type { startMockServer } from '../../src/mockserver/index.js';
import { MASTER_KEY, sqliteUrl, startGovernedGateway, type GovernedGateway } from '../support/governed-gateway.js';
import { chat, eventually, modelList, sleep } from './governance-suite.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `sluice-test:${randomUUID()}:`;
const ENV = { REDIS_URL, SLUICE_REDIS_PREFIX: PREFIX };
/** Longer than any test here: on the instance started with it, only pub/sub can explain a change arriving. */
const NO_POLL_MS = 600_000;

let reachable = false;
let mock: Awaited<ReturnType<typeof startMockServer>>;
redisMockSuite(REDIS_URL, PREFIX, (answers, started) => {
  reachable = answers;
  mock = started;
});

function config(): Record<string, unknown> {
  return { model_list: modelList(mock.url), general_settings: { master_key: MASTER_KEY } };
}

/** Waits until `count` instances listen on the change channel (a message published before that is only polled). */
async function subscribed(count: number): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    await eventually(async () => {
      const [, listeners] = (await redis.pubsub('NUMSUB', `${PREFIX}changes`)) as [string, number];
      assert.ok(Number(listeners) >= count, `${listeners} subscribers`);
    }, 3_000);
  } finally {
    await redis.quit();
  }
}

async function pair(b: { env?: NodeJS.ProcessEnv; pollIntervalMs?: number } = {}): Promise<[GovernedGateway, GovernedGateway]> {
  const database = sqliteUrl();
  const a = await startGovernedGateway(config(), database, { env: ENV });
  const other = await startGovernedGateway(config(), database, { env: b.env ?? ENV, role: 'data', pollIntervalMs: b.pollIntervalMs ?? NO_POLL_MS });
  await subscribed(b.env === undefined ? 2 : 1);
  return [a, other];
}

test('a change made on A reaches B through Redis pub/sub, well inside the poll interval', async (t) => {
  if (!reachable) return t.skip('Redis unreachable (set CI=true to require it)');
  const [a, b] = await pair();
  try {
    // B never polls during this test: a key created on A that B knows about came through pub/sub.
    const created = await a.admin('/key/generate', { key_alias: 'pubsub' });
    await eventually(async () => assert.ok(b.governance.state.keys.has(created.json.token), 'B learnt the new key'), 3_000);
    assert.equal((await chat(b.url, created.json.key)).status, 200);
    const started = Date.now();
    assert.equal((await a.admin('/key/block', { key: created.json.key })).status, 200);
    // From the moment A answered (the change is committed and published) until B refuses the key.
    const blocked = Date.now();
    let refusedAfter = -1;
    while (Date.now() - blocked < 5_000) {
      if ((await chat(b.url, created.json.key)).status === 401) {
        refusedAfter = Date.now() - blocked;
        break;
      }
    }
    t.diagnostic(`key blocked on A (the call took ${blocked - started} ms) refused on B ${refusedAfter} ms later; B's poll interval: ${NO_POLL_MS} ms`);
    assert.ok(refusedAfter >= 0 && refusedAfter < 500, `refused on B ${refusedAfter} ms after the block`);

    // Team-member budgets travel the same way.
    const teamId = (await a.admin('/team/new', { team_alias: 'pubsub-team' })).json.team_id as string;
    const memberKey = (await a.admin('/key/generate', { team_id: teamId, user_id: 'pubsub-member' })).json.key as string;
    await a.admin('/team/member_add', { team_id: teamId, member: { role: 'user', user_id: 'pubsub-member' }, max_budget_in_team: 0 });
    await eventually(async () => assert.equal((await chat(b.url, memberKey)).status, 400), 3_000);
    await a.admin('/team/member_update', { team_id: teamId, user_id: 'pubsub-member', max_budget_in_team: 100 });
    await eventually(async () => assert.equal((await chat(b.url, memberKey)).status, 200), 3_000);
  } finally {
    await b.close();
    await a.close();
  }
});

test('with Redis away, changes still arrive through the change-log poll', async (t) => {
  if (!reachable) return t.skip('Redis unreachable (set CI=true to require it)');
  // B's Redis is a closed port: nothing is published to it, it only has the poll.
  const [a, b] = await pair({ env: { REDIS_URL: 'redis://127.0.0.1:1', SLUICE_REDIS_PREFIX: PREFIX }, pollIntervalMs: 200 });
  try {
    const key = (await a.admin('/key/generate', {})).json.key as string;
    assert.equal((await chat(b.url, key)).status, 200);
    await a.admin('/key/block', { key });
    await eventually(async () => assert.equal((await chat(b.url, key)).status, 401), 2_000);
  } finally {
    await b.close();
    await a.close();
  }
});

test('model_max_budget is shared across instances through Redis', async (t) => {
  if (!reachable) return t.skip('Redis unreachable (set CI=true to require it)');
  const [a, b] = await pair();
  const redis = new Redis(REDIS_URL);
  try {
    const created = await a.admin('/key/generate', { model_max_budget: { priced: { budget_limit: 1_000_000, time_period: '1d' } } });
    const key = created.json.key as string;
    const token = created.json.token as string;
    await eventually(async () => assert.ok(b.governance.state.keys.has(token), 'B learnt the new key'), 3_000);
    const counter = async (): Promise<number> => {
      const names = await redis.keys(`${PREFIX}model_budget:key:${token}:priced:1d:*`);
      assert.ok(names.length <= 1, 'one counter per period');
      return names.length === 0 ? 0 : Number(await redis.get(names[0]!));
    };
    const first = await chat(a.url, key, { model: 'priced' });
    assert.equal(first.status, 200);
    const cost = Number(first.headers.get('x-litellm-response-cost'));
    // Room for two and a half requests; the spend so far is kept across the update.
    await a.admin('/key/update', { key, model_max_budget: { priced: { budget_limit: cost * 2.5, time_period: '1d' } } });
    await eventually(async () => assert.equal(b.governance.state.keys.get(token)?.modelBudgets?.resolve('priced')?.limit, cost * 2.5), 3_000);
    assert.equal((await chat(b.url, key, { model: 'priced' })).status, 200);
    await eventually(async () => assert.ok(Math.abs((await counter()) - 2 * cost) < 1e-9, 'both charges reached the shared counter (INCRBYFLOAT)'), 2_000);
    await sleep(300); // a few sync ticks: both instances have read the shared total back
    assert.equal((await chat(a.url, key, { model: 'priced' })).status, 200, 'A sees 2 × cost, under 2.5 × cost');
    await eventually(async () => assert.ok(Math.abs((await counter()) - 3 * cost) < 1e-9, 'A\'s charge reached the shared counter'), 2_000);
    await sleep(300);
    // B alone spent one request: only the shared total (3 × cost) explains a refusal there.
    const over = await chat(b.url, key, { model: 'priced' });
    assert.equal(over.status, 400, 'B sees the spend made on A');
    assert.equal(over.json.error.type, 'budget_exceeded');
    assert.match(over.json.error.message, /exceeded budget for model=priced/);
    assert.equal((await chat(a.url, key, { model: 'priced' })).status, 400);
    assert.equal((await chat(b.url, key, { model: 'gpt-4o' })).status, 200, 'other models are not limited');
    assert.ok(Math.abs((await counter()) - 3 * cost) < 1e-9, 'three requests were charged, each once');
    const names = await redis.keys(`${PREFIX}model_budget:key:${token}:priced:1d:*`);
    assert.ok((await redis.pttl(names[0]!)) > 0, 'the counter expires after its period');
  } finally {
    await redis.quit();
    await b.close();
    await a.close();
  }
});
