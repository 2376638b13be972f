// One governance suite, run on SQLite and on Postgres: management routes, every enforcement rule, spend accounting.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startMockServer } from '../../src/mockserver/index.js';
import { hashKey } from '../../src/auth/key-hash.js';
import { encodeRow } from '../../src/store/codec.js';
import { Repository } from '../../src/store/repository.js';
import { VERIFICATION_TOKEN } from '../../src/store/tables.js';
import { MASTER_KEY, startGovernedGateway, type GovernedGateway } from '../support/governed-gateway.js';

type Mock = Awaited<ReturnType<typeof startMockServer>>;

export function modelList(mockUrl: string): unknown[] {
  return [
    { model_name: 'gpt-4o', litellm_params: { model: 'openai/gpt-4o', api_base: `${mockUrl}/v1`, api_key: 'upstream' } },
    { model_name: 'gpt-4o-mini', litellm_params: { model: 'openai/gpt-4o-mini', api_base: `${mockUrl}/v1`, api_key: 'upstream' } },
    { model_name: 'slow', litellm_params: { model: 'openai/gpt-4o', api_base: `${mockUrl}/mock/latency=300/v1`, api_key: 'upstream' } },
    { model_name: 'priced', litellm_params: { model: 'openai/custom-model', api_base: `${mockUrl}/v1`, api_key: 'upstream', input_cost_per_token: 0.5, output_cost_per_token: 1 } },
  ];
}

/**
 * rpm limits count in fixed minute windows (as LiteLLM's do), so a test that sends N+1 requests expecting the last to
 * be refused fails when a minute boundary falls between them; this waits out the last seconds of a minute first.
 */
export async function awayFromMinuteEdge(marginMs = 3_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

export async function chat(url: string, key: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers; text: string }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello there' }], ...body }),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, headers: response.headers, text };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` passes (the batch writer flushes every 200 ms in tests). */
/** The LiteLLM_TeamMembership row of a user in a team, decoded; undefined when there is none. */
export async function membershipRow(gw: GovernedGateway, teamId: string, userId: string): Promise<Record<string, unknown> | undefined> {
  return (await new Repository(gw.governance.database).membership(teamId, userId)) ?? undefined;
}

export async function eventually(check: () => Promise<void>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(100);
    }
  }
}

/**
 * One gateway on the suite's database for every test of a suite (before/after registered here), and the suite's
 * `it`: tests named after the dialect, skipped when the database is unreachable outside CI.
 */
export function governedFixture(
  dialect: string,
  databaseUrl: () => Promise<string | null>,
  onStart: (gw: GovernedGateway, mock: Mock, url: string) => void,
): (name: string, fn: () => Promise<void>) => void {
  let mock: Mock;
  let gw: GovernedGateway;
  let url: string | null = null;
  before(async () => {
    url = await databaseUrl();
    if (url === null) return;
    mock = await startMockServer();
    gw = await startGovernedGateway({ model_list: modelList(mock.url), general_settings: { master_key: MASTER_KEY } }, url);
    onStart(gw, mock, url);
  });
  after(async () => {
    if (url === null) return;
    await gw.close();
    await mock.close();
  });
  return (name, fn) => test(`${dialect}: ${name}`, async (t) => (url === null ? t.skip('Postgres unreachable (set CI=true to require it)') : fn()));
}

export function runGovernanceSuite(dialect: string, databaseUrl: () => Promise<string | null>): void {
  let mock: Mock;
  let gw: GovernedGateway;
  let url: string;
  const it = governedFixture(dialect, databaseUrl, (started, startedMock, startedUrl) => {
    gw = started;
    mock = startedMock;
    url = startedUrl;
  });

  it('readiness reports the database', async () => {
    const body = (await (await fetch(`${gw.url}/health/readiness`)).json()) as { db: string };
    assert.equal(body.db, 'connected');
  });

  it('key lifecycle: generate, info, list, update, block, unblock, regenerate, delete', async () => {
    const created = await gw.admin('/key/generate', { key_alias: `life-${dialect}`, models: ['gpt-4o'], max_budget: 10, metadata: { team: 'x' }, duration: '1h' });
    assert.equal(created.status, 200);
    assert.match(created.json.key, /^sk-/);
    assert.equal(created.json.token.length, 64);
    assert.ok(created.json.expires);
    const key = created.json.key as string;
    assert.equal((await chat(gw.url, key)).status, 200);
    const info = await gw.admin(`/key/info?key=${key}`);
    assert.equal(info.json.info.key_alias, `life-${dialect}`);
    assert.deepEqual(info.json.info.models, ['gpt-4o']);
    const list = await gw.admin('/key/list?return_full_object=true&size=100');
    assert.ok(list.json.keys.some((row: { key_alias: string }) => row.key_alias === `life-${dialect}`));
    assert.equal((await gw.admin('/key/update', { key, models: ['gpt-4o-mini'] })).status, 200);
    const denied = await chat(gw.url, key);
    assert.equal(denied.status, 401);
    assert.equal(denied.json.error.type, 'key_model_access_denied');
    assert.equal(denied.json.error.param, 'model');
    assert.equal((await gw.admin('/key/block', { key })).json.blocked, true);
    const blocked = await chat(gw.url, key, { model: 'gpt-4o-mini' });
    assert.equal(blocked.status, 401);
    assert.equal(blocked.json.error.type, 'key_blocked');
    await gw.admin('/key/unblock', { key });
    assert.equal((await chat(gw.url, key, { model: 'gpt-4o-mini' })).status, 200);
    const regenerated = await gw.admin('/key/regenerate', { key });
    assert.equal(regenerated.status, 200);
    assert.notEqual(regenerated.json.key, key);
    assert.equal((await chat(gw.url, key, { model: 'gpt-4o-mini' })).status, 401);
    assert.equal((await chat(gw.url, regenerated.json.key, { model: 'gpt-4o-mini' })).status, 200);
    const deleted = await gw.admin('/key/delete', { keys: [regenerated.json.key] });
    assert.deepEqual(deleted.json.deleted_keys, [regenerated.json.key]);
    assert.equal((await chat(gw.url, regenerated.json.key, { model: 'gpt-4o-mini' })).status, 401);
    assert.equal((await gw.admin(`/key/info?key=${regenerated.json.key}`)).status, 404);
  });

  it('management API needs the master key; bad input is a 400', async () => {
    assert.equal((await gw.admin('/key/generate', {}, 'sk-wrong')).status, 401);
    assert.equal((await gw.admin('/key/generate', { budget_duration: 'soon' })).status, 400);
    assert.equal((await gw.admin('/key/generate', { models: 'gpt-4o' })).status, 400);
    assert.equal((await gw.admin('/key/update', { key: 'sk-missing' })).status, 404);
  });

  it('unknown, expired and missing keys', async () => {
    const unknown = await chat(gw.url, 'sk-not-a-key');
    assert.equal(unknown.status, 401);
    assert.equal(unknown.json.error.type, 'auth_error');
    const none = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    assert.equal(none.status, 401);
    const expired = await gw.admin('/key/generate', { expires: new Date(Date.now() - 1000).toISOString() });
    const response = await chat(gw.url, expired.json.key);
    assert.equal(response.status, 401);
    assert.equal(response.json.error.type, 'expired_key');
    assert.equal(response.json.error.code, '401');
  });

  it('a key inserted into the database by something else works on its first request', async () => {
    const raw = `sk-direct-${dialect}-${Date.now()}`;
    const { db, dialect: kind } = gw.governance.database;
    await db.insertInto(VERIFICATION_TOKEN.name).values(encodeRow(VERIFICATION_TOKEN, { token: hashKey(raw), key_alias: `direct-${dialect}`, models: ['gpt-4o'], spend: 0 }, kind)).execute();
    const first = await chat(gw.url, raw);
    assert.equal(first.status, 200, first.text);
    assert.equal((await chat(gw.url, raw, { model: 'gpt-4o-mini' })).json.error.type, 'key_model_access_denied');
    const [a, b] = await Promise.all([chat(gw.url, 'sk-garbage'), chat(gw.url, 'sk-garbage')]);
    assert.deepEqual([a.status, b.status], [401, 401]);
    assert.equal((await chat(gw.url, 'sk-garbage')).status, 401);
  });

  it('teams: lifecycle, model access, blocking, team rpm', async () => {
    const team = await gw.admin('/team/new', { team_alias: `t-${dialect}`, models: ['gpt-4o'], rpm_limit: 3, members_with_roles: [{ role: 'admin', user_id: `owner-${dialect}` }] });
    assert.equal(team.status, 200);
    const teamId = team.json.team_id as string;
    assert.deepEqual(team.json.admins, [`owner-${dialect}`]);
    const key = (await gw.admin('/key/generate', { team_id: teamId })).json.key as string;
    await awayFromMinuteEdge();
    const denied = await chat(gw.url, key, { model: 'gpt-4o-mini' });
    assert.equal(denied.status, 401);
    assert.equal(denied.json.error.type, 'team_model_access_denied');
    assert.equal((await chat(gw.url, key)).status, 200);
    assert.equal((await chat(gw.url, key)).status, 200);
    assert.equal((await chat(gw.url, key)).status, 200);
    const limited = await chat(gw.url, key);
    assert.equal(limited.status, 429);
    assert.equal(limited.json.error.type, 'rate_limit_error');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    const added = await gw.admin('/team/member_add', { team_id: teamId, member: { role: 'user', user_id: `member-${dialect}` } });
    assert.ok(added.json.members.includes(`member-${dialect}`));
    const info = await gw.admin(`/team/info?team_id=${teamId}`);
    assert.equal(info.json.team_info.team_alias, `t-${dialect}`);
    assert.equal(info.json.keys.length, 1);
    assert.ok((await gw.admin(`/user/info?user_id=member-${dialect}`)).json.user_info.teams.includes(teamId));
    await gw.admin('/team/member_delete', { team_id: teamId, user_id: `member-${dialect}` });
    assert.ok(!(await gw.admin(`/team/info?team_id=${teamId}`)).json.team_info.members.includes(`member-${dialect}`));
    const updated = await gw.admin('/team/update', { team_id: teamId, team_alias: 'renamed' });
    assert.equal(updated.json.data.team_alias, 'renamed');
    assert.ok((await gw.admin('/team/list')).json.some((row: { team_id: string }) => row.team_id === teamId));
    await gw.admin('/team/block', { team_id: teamId });
    assert.equal((await chat(gw.url, key)).status, 401);
    assert.deepEqual((await gw.admin('/team/delete', { team_ids: [teamId] })).json.deleted_teams, [teamId]);
    assert.equal((await gw.admin(`/team/info?team_id=${teamId}`)).status, 404);
  });

  it('users: lifecycle, auto-created key, user model access, admin keys may manage', async () => {
    const user = await gw.admin('/user/new', { user_id: `u-${dialect}`, user_email: 'u@example.com', models: ['gpt-4o-mini'], max_budget: 5 });
    assert.equal(user.status, 200);
    assert.match(user.json.key, /^sk-/);
    const ownKey = (await gw.admin('/key/generate', { user_id: `u-${dialect}` })).json.key as string;
    const denied = await chat(gw.url, ownKey);
    assert.equal(denied.status, 401);
    assert.equal(denied.json.error.type, 'user_model_access_denied');
    assert.equal((await chat(gw.url, user.json.key, { model: 'gpt-4o-mini' })).status, 200);
    assert.equal((await gw.admin('/key/generate', {}, user.json.key)).status, 401);
    assert.equal((await gw.admin('/user/update', { user_id: `u-${dialect}`, user_role: 'proxy_admin' })).json.user_role, 'proxy_admin');
    assert.equal((await gw.admin('/key/generate', {}, user.json.key)).status, 200);
    const info = await gw.admin(`/user/info?user_id=u-${dialect}`);
    assert.equal(info.json.user_info.user_email, 'u@example.com');
    assert.ok(info.json.keys.length >= 1);
    assert.ok((await gw.admin('/user/list')).json.users.some((row: { user_id: string }) => row.user_id === `u-${dialect}`));
    assert.deepEqual((await gw.admin('/user/delete', { user_ids: [`u-${dialect}`] })).json.deleted_users, [`u-${dialect}`]);
    assert.equal((await gw.admin(`/user/info?user_id=u-${dialect}`)).status, 404);
  });

  it('budgets and customers: end-user budget, rpm, block', async () => {
    const budget = await gw.admin('/budget/new', { budget_id: `b-${dialect}`, max_budget: 100, rpm_limit: 2 });
    assert.equal(budget.status, 200);
    assert.equal((await gw.admin('/budget/info', { budgets: [`b-${dialect}`] })).json[0].rpm_limit, 2);
    assert.ok((await gw.admin('/budget/list')).json.some((row: { budget_id: string }) => row.budget_id === `b-${dialect}`));
    const customer = await gw.admin('/customer/new', { user_id: `c-${dialect}`, budget_id: `b-${dialect}` });
    assert.equal(customer.json.litellm_budget_table.max_budget, 100);
    const key = (await gw.admin('/key/generate', {})).json.key as string;
    await awayFromMinuteEdge();
    assert.equal((await chat(gw.url, key, { user: `c-${dialect}` })).status, 200);
    assert.equal((await chat(gw.url, key, {}, { 'x-litellm-end-user-id': `c-${dialect}` })).status, 200);
    const limited = await chat(gw.url, key, { user: `c-${dialect}` });
    assert.equal(limited.status, 429);
    assert.match(limited.json.error.message, /end_user/);
    assert.equal((await chat(gw.url, key, { user: 'someone-else' })).status, 200);
    await gw.admin('/budget/update', { budget_id: `b-${dialect}`, max_budget: 0 });
    await gw.admin('/customer/update', { user_id: `c-${dialect}`, alias: 'renamed' });
    assert.equal((await gw.admin(`/customer/info?end_user_id=c-${dialect}`)).json.alias, 'renamed');
    assert.ok((await gw.admin('/customer/list')).json.some((row: { user_id: string }) => row.user_id === `c-${dialect}`));
    await gw.admin('/customer/block', { user_ids: [`c-${dialect}`] });
    assert.equal((await chat(gw.url, key, { user: `c-${dialect}` })).status, 401);
    await gw.admin('/customer/unblock', { user_ids: [`c-${dialect}`] });
    assert.deepEqual((await gw.admin('/customer/delete', { user_ids: [`c-${dialect}`] })).json.deleted_customers, [`c-${dialect}`]);
    assert.equal((await gw.admin('/budget/delete', { id: `b-${dialect}` })).status, 200);
  });

  it('key rpm, tpm, parallel and per-model limits; remaining headers', async () => {
    const rpmKey = (await gw.admin('/key/generate', { rpm_limit: 2 })).json.key as string;
    await awayFromMinuteEdge();
    const first = await chat(gw.url, rpmKey);
    assert.equal(first.headers.get('x-ratelimit-remaining-requests'), '1');
    assert.ok(first.headers.get('x-litellm-key-spend') !== null);
    assert.ok(Number(first.headers.get('x-litellm-response-cost')) > 0);
    assert.equal((await chat(gw.url, rpmKey)).status, 200);
    const limited = await chat(gw.url, rpmKey);
    assert.equal(limited.status, 429);
    assert.match(limited.json.error.message, /Limit type: requests/);
    const tpmKey = (await gw.admin('/key/generate', { tpm_limit: 5 })).json.key as string;
    assert.equal((await chat(gw.url, tpmKey)).status, 200);
    const tokensOut = await chat(gw.url, tpmKey);
    assert.equal(tokensOut.status, 429);
    assert.match(tokensOut.json.error.message, /tokens/);
    const parallelKey = (await gw.admin('/key/generate', { max_parallel_requests: 1 })).json.key as string;
    const [slowA, slowB] = await Promise.all([chat(gw.url, parallelKey, { model: 'slow' }), sleep(50).then(() => chat(gw.url, parallelKey, { model: 'slow' }))]);
    assert.deepEqual([slowA.status, slowB.status], [200, 429]);
    await sleep(30); // the slot is released when the server closes the response, a moment after the client has it
    const third = await chat(gw.url, parallelKey, { model: 'slow' });
    assert.equal(third.status, 200, third.text);
    const modelKey = (await gw.admin('/key/generate', { model_rpm_limit: { 'gpt-4o': 1 } })).json.key as string;
    await awayFromMinuteEdge();
    assert.equal((await chat(gw.url, modelKey)).status, 200);
    assert.equal((await chat(gw.url, modelKey)).status, 429);
    assert.equal((await chat(gw.url, modelKey, { model: 'gpt-4o-mini' })).status, 200);
  });

  it('a budget crossed mid-traffic stops the key; budget_duration resets it', async () => {
    // `priced` costs 0.5/prompt token + 1/completion token: one request exceeds 1 USD.
    const key = (await gw.admin('/key/generate', { max_budget: 1, budget_duration: '2s' })).json.key as string;
    assert.equal((await chat(gw.url, key, { model: 'priced' })).status, 200);
    const over = await chat(gw.url, key, { model: 'priced' });
    assert.equal(over.status, 400);
    assert.equal(over.json.error.type, 'budget_exceeded');
    assert.match(over.json.error.message, /^Budget has been exceeded! Current cost: [\d.]+, Max budget: 1$/);
    await sleep(2_100);
    assert.equal((await chat(gw.url, key, { model: 'priced' })).status, 200);
  });

  it('streams: usage requested upstream is priced and stripped from the client stream', async () => {
    const key = (await gw.admin('/key/generate', {})).json.key as string;
    const token = (await gw.admin(`/key/info?key=${key}`)).json.info.token as string;
    const plain = await chat(gw.url, key, { stream: true });
    assert.equal(plain.status, 200);
    assert.ok(plain.text.includes('[DONE]'));
    assert.ok(!/"usage":\{/.test(plain.text), 'client did not ask for usage');
    const asked = await chat(gw.url, key, { stream: true, stream_options: { include_usage: true } });
    assert.ok(/"usage":\{/.test(asked.text));
    await eventually(async () => {
      const logs = (await gw.admin(`/spend/logs?api_key=${token}`)).json as Array<{ spend: number; total_tokens: number }>;
      assert.equal(logs.length, 2);
      for (const log of logs) assert.ok(log.spend > 0 && log.total_tokens > 0);
    });
  });

  it('spend: 1,000 concurrent requests add up exactly (keys, logs, daily, global views)', async () => {
    const team = (await gw.admin('/team/new', { team_alias: `spend-${dialect}` })).json.team_id as string;
    const member = `spender-${dialect}`;
    await gw.admin('/team/member_add', { team_id: team, member: { role: 'user', user_id: member }, max_budget_in_team: 1_000_000 });
    const created = await gw.admin('/key/generate', { team_id: team, user_id: member, key_alias: `spend-${dialect}` });
    const key = created.json.key as string;
    const token = created.json.token as string;
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => chat(gw.url, key, { messages: [{ role: 'user', content: `request ${i} ${'x '.repeat(i % 7)}` }] })));
    assert.ok(results.every((result) => result.status === 200));
    const expected = results.reduce((sum, result) => sum + Number(result.headers.get('x-litellm-response-cost')), 0);
    assert.ok(expected > 0);
    await eventually(async () => {
      const info = await gw.admin(`/key/info?key=${key}`);
      assert.ok(Math.abs(info.json.info.spend - expected) < 1e-9, `key spend ${info.json.info.spend} vs ${expected}`);
    });
    const teamInfo = await gw.admin(`/team/info?team_id=${team}`);
    assert.ok(Math.abs(teamInfo.json.team_info.spend - expected) < 1e-9, 'team spend');
    const memberSpend = teamInfo.json.team_memberships.find((row: { user_id: string }) => row.user_id === member).spend as number;
    assert.ok(Math.abs(memberSpend - expected) < 1e-9, `team member spend ${memberSpend} vs ${expected}`);
    const logs = (await gw.admin(`/spend/logs?api_key=${key}&limit=5000`)).json as Array<{ spend: number }>;
    assert.equal(logs.length, 1000);
    assert.ok(Math.abs(logs.reduce((sum, log) => sum + log.spend, 0) - expected) < 1e-9);
    const daily = await gw.admin(`/user/daily/activity?api_key=${token}`);
    assert.equal(daily.json.metadata.total_api_requests, 1000);
    assert.ok(Math.abs(daily.json.metadata.total_spend - expected) < 1e-9);
    const keys = (await gw.admin('/global/spend/keys?limit=1000')).json as Array<{ api_key: string; total_spend: number }>;
    assert.ok(Math.abs(keys.find((row) => row.api_key === token)!.total_spend - expected) < 1e-9);
    const teams = (await gw.admin('/global/spend/teams')).json as { total_spend_per_team: Array<{ team_id: string; total_spend: number }> };
    assert.ok(Math.abs(teams.total_spend_per_team.find((row) => row.team_id === team)!.total_spend - expected) < 1e-9);
    assert.ok(((await gw.admin('/global/spend/models')).json as Array<{ model: string }>).some((row) => row.model === 'gpt-4o'));
    assert.equal((await gw.admin('/global/spend/report?group_by=team')).status, 200);
  });

  it('a second instance on the same database sees changes within a second', async () => {
    const other = await startGovernedGateway({ model_list: modelList(mock.url), general_settings: { master_key: MASTER_KEY } }, url, { role: 'data' });
    try {
      const key = (await gw.admin('/key/generate', {})).json.key as string;
      await eventually(async () => assert.equal((await chat(other.url, key)).status, 200), 1_500);
      await gw.admin('/key/block', { key });
      await eventually(async () => assert.equal((await chat(other.url, key)).status, 401), 1_500);
      assert.equal((await other.admin('/key/list')).status, 404, 'data role serves no management API');
    } finally {
      await other.close();
    }
  });
}
