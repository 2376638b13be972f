// Limits exact across instances and workers when Redis is configured (skipped when Redis is unreachable outside CI).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { redisMockSuite } from '../support/redis.js';
import type { startMockServer } from '../../src/mockserver/index.js';
import { freePort, startCli } from '../support/gateway.js';
import { MASTER_KEY, sqliteUrl, startGovernedGateway, type GovernedGateway } from '../support/governed-gateway.js';
import { awayFromMinuteEdge, chat, eventually, modelList, sleep } from './governance-suite.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `sluice-test:${randomUUID()}:`;
// A loaded CI machine can take longer than the default 250 ms; a timed-out decision is made locally (fail open),
// which is right in production but would make "exact" untestable.
const REDIS_LIMIT_TIMEOUT = { SLUICE_REDIS_LIMIT_TIMEOUT_MS: '5000' };

let reachable = false;
let mock: Awaited<ReturnType<typeof startMockServer>>;
redisMockSuite(REDIS_URL, PREFIX, (answers, started) => {
  reachable = answers;
  mock = started;
});

test('two instances share one rpm limit and one parallel limit exactly', async (t) => {
  if (!reachable) return t.skip('Redis unreachable (set CI=true to require it)');
  const database = sqliteUrl();
  const env = { REDIS_URL, SLUICE_REDIS_PREFIX: PREFIX, ...REDIS_LIMIT_TIMEOUT };
  const config = { model_list: modelList(mock.url), general_settings: { master_key: MASTER_KEY } };
  const a: GovernedGateway = await startGovernedGateway(config, database, { env });
  const b: GovernedGateway = await startGovernedGateway(config, database, { env, role: 'data' });
  try {
    const generated = await a.admin('/key/generate', { rpm_limit: 10 });
    assert.equal(generated.status, 200, JSON.stringify(generated.json));
    const key = generated.json.key as string;
    await sleep(1_200);
    assert.ok(b.governance.state.keys.size > 0, 'the other instance knows the key within a second');
    await awayFromMinuteEdge(10_000);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(i % 2 === 0 ? a.url : b.url, key)));
    const ok = results.filter((result) => result.status === 200).length;
    assert.equal(ok, 10, `successes across two instances: ${ok}`);
    for (const result of results.filter((one) => one.status !== 200)) {
      assert.equal(result.status, 429, result.text);
      assert.equal(result.json.error.type, 'rate_limit_error');
      assert.ok(result.headers.get('retry-after') !== null);
    }

    const parallelKey = (await a.admin('/key/generate', { max_parallel_requests: 2 })).json.key as string;
    await eventually(async () => assert.ok([...b.governance.state.keys.values()].some((k) => k.parallelLimit === 2), JSON.stringify([...b.governance.state.keys.values()].map((k) => [k.id.slice(0, 8), k.parallelLimit, k.rpmLimit]))));
    const slow = await Promise.all(Array.from({ length: 6 }, (_, i) => chat(i % 2 === 0 ? a.url : b.url, parallelKey, { model: 'slow' })));
    assert.equal(slow.filter((result) => result.status === 200).length, 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await chat(b.url, parallelKey, { model: 'slow' })).status, 200, 'slots are released after the responses');
  } finally {
    await b.close();
    await a.close();
  }
});

test('--num_workers 2 with Redis: rpm_limit is exact across workers', async (t) => {
  if (!reachable) return t.skip('Redis unreachable (set CI=true to require it)');
  const dir = sqliteUrl().slice('sqlite://'.length).replace(/sluice\.db$/, '');
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n      api_base: ${mock.url}/v1\n      api_key: upstream\ngeneral_settings:\n  master_key: ${MASTER_KEY}\n`);
  const cli = await startCli(['--config', config, '--port', String(await freePort()), '--num_workers', '2'], { DATABASE_URL: `sqlite://${join(dir, 'w.db')}`, REDIS_URL, SLUICE_REDIS_PREFIX: PREFIX, ...REDIS_LIMIT_TIMEOUT });
  try {
    const response = await fetch(`${cli.url}/key/generate`, { method: 'POST', headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' }, body: '{"rpm_limit":10}' });
    const key = ((await response.json()) as { key: string }).key;
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // both workers have polled the change
    await awayFromMinuteEdge(10_000);
    const results = await Promise.all(Array.from({ length: 40 }, () => chat(cli.url, key)));
    assert.equal(results.filter((result) => result.status === 200).length, 10);
  } finally {
    await cli.stop();
  }
});
