// Team-member budgets (LiteLLM_TeamMembership) and per-model budgets (`model_max_budget`), run on SQLite and Postgres.
import assert from 'node:assert/strict';
import type { startMockServer } from '../../src/mockserver/index.js';
import { END_USER_TABLE } from '../../src/store/tables.js';
import { MASTER_KEY, startGovernedGateway, type GovernedGateway } from '../support/governed-gateway.js';
import { awayFromMinuteEdge, chat, eventually, governedFixture, membershipRow, modelList, sleep } from './governance-suite.js';

type Mock = Awaited<ReturnType<typeof startMockServer>>;

export function runBudgetSuite(dialect: string, databaseUrl: () => Promise<string | null>): void {
  let mock: Mock;
  let gw: GovernedGateway;
  let url: string;
  const it = governedFixture(dialect, databaseUrl, (started, startedMock, startedUrl) => {
    gw = started;
    mock = startedMock;
    url = startedUrl;
  });

  /** A team with two members, each with a key of their own in the team. */
  async function teamWithMembers(label: string, body: Record<string, unknown> = {}): Promise<{ teamId: string; alice: string; bob: string; aliceKey: string; bobKey: string }> {
    const teamId = (await gw.admin('/team/new', { team_alias: `${label}-${dialect}`, ...body })).json.team_id as string;
    const alice = `alice-${label}-${dialect}`;
    const bob = `bob-${label}-${dialect}`;
    const aliceKey = (await gw.admin('/key/generate', { team_id: teamId, user_id: alice })).json.key as string;
    const bobKey = (await gw.admin('/key/generate', { team_id: teamId, user_id: bob })).json.key as string;
    return { teamId, alice, bob, aliceKey, bobKey };
  }

  it('member_add with max_budget_in_team: membership row with its own budget, shown by /team/info', async () => {
    const { teamId, alice, bob } = await teamWithMembers('add');
    const added = await gw.admin('/team/member_add', { team_id: teamId, member: { role: 'user', user_id: alice }, max_budget_in_team: 1 });
    assert.equal(added.status, 200, JSON.stringify(added.json));
    assert.ok(added.json.members.includes(alice), 'alice is a member');
    assert.equal(added.json.updated_team_memberships.length, 1);
    assert.equal(added.json.updated_team_memberships[0].litellm_budget_table.max_budget, 1);
    assert.equal((await gw.admin('/team/member_add', { team_id: teamId, member: { role: 'user', user_id: bob } })).status, 200);
    const again = await gw.admin('/team/member_add', { team_id: teamId, member: { role: 'user', user_id: alice } });
    assert.equal(again.status, 400);
    assert.match(again.json.error.message, /already in team/);
    assert.equal((await gw.admin('/team/member_add', { team_id: 'no-such-team', member: { user_id: 'x' } })).status, 404);
    assert.equal((await gw.admin('/team/member_add', { team_id: teamId, member: { user_id: 'y' }, max_budget_in_team: -1 })).status, 400);
    const info = await gw.admin(`/team/info?team_id=${teamId}`);
    const memberships = info.json.team_memberships as Array<{ user_id: string; spend: number; budget_id: string | null; litellm_budget_table: { max_budget: number } | null }>;
    const mine = memberships.find((row) => row.user_id === alice)!;
    assert.equal(mine.spend, 0);
    assert.equal(mine.litellm_budget_table!.max_budget, 1);
    assert.equal(memberships.find((row) => row.user_id === bob)!.litellm_budget_table, null);
  });

  it('a member over max_budget_in_team gets LiteLLM\'s 400; membership spend adds up; other members are unaffected', async () => {
    const { teamId, alice, bob, aliceKey, bobKey } = await teamWithMembers('enforce');
    await gw.admin('/team/member_add', { team_id: teamId, member: [{ role: 'user', user_id: alice }, { role: 'user', user_id: bob }], max_budget_in_team: 1 });
    // `priced` costs 0.5 per prompt token and 1 per completion token: one request is over 1 USD.
    const first = await chat(gw.url, aliceKey, { model: 'priced' });
    assert.equal(first.status, 200, first.text);
    const cost = Number(first.headers.get('x-litellm-response-cost'));
    assert.ok(cost > 1, `one request costs ${cost}`);
    const over = await chat(gw.url, aliceKey, { model: 'priced' });
    assert.equal(over.status, 400);
    assert.equal(over.json.error.type, 'budget_exceeded');
    assert.equal(over.json.error.code, '400');
    assert.equal(over.json.error.message, `Budget has been exceeded! User=${alice} in Team=${teamId} Current cost: ${cost}, Max budget: 1`);
    assert.equal((await chat(gw.url, bobKey)).status, 200, 'bob still has his budget');
    const bobCost = Number((await chat(gw.url, bobKey)).headers.get('x-litellm-response-cost'));
    await eventually(async () => {
      const aliceSpend = Number((await membershipRow(gw, teamId, alice))?.spend);
      assert.ok(Math.abs(aliceSpend - cost) < 1e-9, `alice's membership spend ${aliceSpend} vs ${cost}`);
      const bobSpend = Number((await membershipRow(gw, teamId, bob))?.spend);
      assert.ok(bobSpend >= bobCost, `bob's membership spend ${bobSpend}`);
    });
    const info = await gw.admin(`/team/info?team_id=${teamId}`);
    assert.ok(Math.abs(info.json.team_memberships.find((row: { user_id: string }) => row.user_id === alice).spend - cost) < 1e-9, '/team/info shows the member spend');
  });

  it('member_update: raise the budget, set member rpm/tpm, change the role; bad input is LiteLLM\'s 400', async () => {
    const { teamId, alice, aliceKey } = await teamWithMembers('update');
    await gw.admin('/team/member_add', { team_id: teamId, member: { role: 'user', user_id: alice }, max_budget_in_team: 0 });
    assert.equal((await chat(gw.url, aliceKey)).status, 400);
    const updated = await gw.admin('/team/member_update', { team_id: teamId, user_id: alice, max_budget_in_team: 100, rpm_limit: 2, role: 'admin' });
    assert.equal(updated.status, 200, JSON.stringify(updated.json));
    assert.deepEqual(updated.json, { team_id: teamId, user_id: alice, user_email: null, max_budget_in_team: 100, tpm_limit: null, rpm_limit: 2 });
    await awayFromMinuteEdge();
    assert.equal((await chat(gw.url, aliceKey)).status, 200);
    assert.equal((await chat(gw.url, aliceKey)).status, 200);
    const limited = await chat(gw.url, aliceKey);
    assert.equal(limited.status, 429);
    assert.match(limited.json.error.message, /team_member/);
    const info = await gw.admin(`/team/info?team_id=${teamId}`);
    assert.ok(info.json.team_info.admins.includes(alice), 'alice is an admin now');
    const budget = info.json.team_memberships.find((row: { user_id: string }) => row.user_id === alice).litellm_budget_table;
    assert.deepEqual([budget.max_budget, budget.rpm_limit], [100, 2]);
    assert.equal((await gw.admin('/team/member_update', { team_id: teamId, user_id: 'stranger', max_budget_in_team: 1 })).status, 400);
    assert.equal((await gw.admin('/team/member_update', { team_id: 'no-such-team', user_id: alice })).status, 400);
    assert.equal((await gw.admin('/team/member_update', { team_id: teamId })).status, 400);
    assert.equal((await gw.admin('/team/member_update', { team_id: teamId, user_id: alice, rpm_limit: 'many' })).status, 400);
  });

  it('the team default member budget (team_member_budget) applies to members without their own', async () => {
    const { teamId, alice, bob, aliceKey, bobKey } = await teamWithMembers('default', { team_member_budget: 1 });
    const team = await gw.admin(`/team/info?team_id=${teamId}`);
    const defaultId = team.json.team_info.metadata.team_member_budget_id as string;
    assert.equal(team.json.team_info.team_member_budget_table.max_budget, 1);
    await gw.admin('/team/member_add', { team_id: teamId, member: [{ role: 'user', user_id: alice }, { role: 'user', user_id: bob }] });
    assert.equal((await membershipRow(gw, teamId, alice))!.budget_id, defaultId);
    assert.equal((await chat(gw.url, aliceKey, { model: 'priced' })).status, 200);
    assert.equal((await chat(gw.url, aliceKey, { model: 'priced' })).status, 400);
    // Editing one member's budget copies the default: the others keep it.
    await gw.admin('/team/member_update', { team_id: teamId, user_id: alice, max_budget_in_team: 1000 });
    assert.notEqual((await membershipRow(gw, teamId, alice))!.budget_id, defaultId);
    assert.equal((await chat(gw.url, aliceKey, { model: 'priced' })).status, 200);
    assert.equal((await chat(gw.url, bobKey, { model: 'priced' })).status, 200);
    assert.equal((await chat(gw.url, bobKey, { model: 'priced' })).status, 400);
    // Raising the team default reaches every member using it.
    await gw.admin('/team/update', { team_id: teamId, team_member_budget: 1000, metadata: { note: 'kept' } });
    assert.equal((await gw.admin(`/team/info?team_id=${teamId}`)).json.team_info.metadata.team_member_budget_id, defaultId);
    assert.equal((await chat(gw.url, bobKey, { model: 'priced' })).status, 200);
  });

  it('member budgets with budget_duration reset through their budget row (as LiteLLM\'s reset job)', async () => {
    const { teamId, alice, aliceKey } = await teamWithMembers('reset');
    await gw.admin('/team/member_add', { team_id: teamId, member: { role: 'user', user_id: alice } });
    await gw.admin('/team/member_update', { team_id: teamId, user_id: alice, max_budget_in_team: 1, budget_duration: '2s' });
    assert.equal((await chat(gw.url, aliceKey, { model: 'priced' })).status, 200);
    assert.equal((await chat(gw.url, aliceKey, { model: 'priced' })).status, 400);
    await eventually(async () => assert.ok(Number((await membershipRow(gw, teamId, alice))?.spend) > 1, 'the spend reached the row'));
    await sleep(2_100);
    assert.equal((await chat(gw.url, aliceKey, { model: 'gpt-4o-mini' })).status, 200, 'a new period');
    await eventually(async () => assert.ok(Number((await membershipRow(gw, teamId, alice))!.spend) < 1, 'the row was reset too'));
  });

  it('an end user with a budget_duration budget is reset through the budget row', async () => {
    await gw.admin('/budget/new', { budget_id: `eu-reset-${dialect}`, max_budget: 1, budget_duration: '2s' });
    await gw.admin('/customer/new', { user_id: `eu-${dialect}`, budget_id: `eu-reset-${dialect}` });
    const key = (await gw.admin('/key/generate', {})).json.key as string;
    assert.equal((await chat(gw.url, key, { model: 'priced', user: `eu-${dialect}` })).status, 200);
    assert.equal((await chat(gw.url, key, { model: 'priced', user: `eu-${dialect}` })).status, 400);
    await sleep(2_100);
    assert.equal((await chat(gw.url, key, { model: 'gpt-4o-mini', user: `eu-${dialect}` })).status, 200);
    await eventually(async () => {
      const row = await gw.governance.database.db.selectFrom(END_USER_TABLE.name).selectAll().where('user_id', '=', `eu-${dialect}`).executeTakeFirst();
      assert.ok(Number(row!.spend) < 1, `end-user spend ${String(row!.spend)} was reset`);
    });
  });

  it('member_delete and team delete remove the membership; its budget no longer applies', async () => {
    const { teamId, alice, aliceKey } = await teamWithMembers('delete');
    await gw.admin('/team/member_add', { team_id: teamId, member: { role: 'user', user_id: alice }, max_budget_in_team: 0 });
    assert.equal((await chat(gw.url, aliceKey)).status, 400);
    assert.equal((await gw.admin('/team/member_delete', { team_id: teamId, user_id: alice })).status, 200);
    assert.equal(await membershipRow(gw, teamId, alice), undefined);
    assert.equal((await chat(gw.url, aliceKey)).status, 200);
    assert.equal((await gw.admin('/team/member_delete', { team_id: teamId, user_id: alice })).status, 400, 'not in the team any more');
    await gw.admin('/team/member_add', { team_id: teamId, member: { role: 'user', user_id: alice } });
    assert.ok((await membershipRow(gw, teamId, alice)) !== undefined, 'a membership row again');
    await gw.admin('/team/delete', { team_ids: [teamId] });
    assert.equal(await membershipRow(gw, teamId, alice), undefined);
  });

  it('memberships load at start-up and reach another instance through the change log', async () => {
    const { teamId, alice, aliceKey } = await teamWithMembers('startup');
    await gw.admin('/team/member_add', { team_id: teamId, member: { role: 'user', user_id: alice }, max_budget_in_team: 0 });
    const other = await startGovernedGateway({ model_list: modelList(mock.url), general_settings: { master_key: MASTER_KEY } }, url, { role: 'data' });
    try {
      assert.ok(other.governance.state.memberOf(teamId, alice) !== null, 'loaded at start-up');
      assert.equal((await chat(other.url, aliceKey)).status, 400);
      await gw.admin('/team/member_update', { team_id: teamId, user_id: alice, max_budget_in_team: 100 });
      await eventually(async () => assert.equal((await chat(other.url, aliceKey)).status, 200), 2_000);
    } finally {
      await other.close();
    }
  });

  it('model_max_budget on a key: the model\'s spend per period is capped, other models are not', async () => {
    const bad = await gw.admin('/key/generate', { model_max_budget: { 'gpt-4o': { budget_limit: 1 } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.param, 'model_max_budget');
    const created = await gw.admin('/key/generate', { key_alias: `mmb-${dialect}`, model_max_budget: { priced: { budget_limit: 1, time_period: '1d' } } });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    assert.deepEqual(created.json.model_max_budget, { priced: { budget_limit: 1, time_period: '1d' } });
    const key = created.json.key as string;
    const first = await chat(gw.url, key, { model: 'priced' });
    assert.equal(first.status, 200);
    const cost = Number(first.headers.get('x-litellm-response-cost'));
    const over = await chat(gw.url, key, { model: 'priced' });
    assert.equal(over.status, 400);
    assert.equal(over.json.error.type, 'budget_exceeded');
    assert.equal(over.json.error.message, `Budget has been exceeded! LiteLLM Virtual Key: ${created.json.token}, key_alias: mmb-${dialect}, exceeded budget for model=priced. Current cost: ${cost}, Max budget: 1`);
    assert.equal((await chat(gw.url, key, { model: 'gpt-4o' })).status, 200, 'no budget on this model');
    await gw.admin('/key/update', { key, model_max_budget: { priced: { budget_limit: 1000, time_period: '1d' } } });
    assert.equal((await chat(gw.url, key, { model: 'priced' })).status, 200, 'raised; the spend so far is kept');
  });

  it('model_max_budget on a team and a user; a key\'s own budget for the model takes the team\'s place', async () => {
    const teamId = (await gw.admin('/team/new', { team_alias: `mmb-team-${dialect}`, model_max_budget: { priced: { budget_limit: 1, time_period: '1d' } } })).json.team_id as string;
    const teamKey = (await gw.admin('/key/generate', { team_id: teamId })).json.key as string;
    assert.equal((await chat(gw.url, teamKey, { model: 'priced' })).status, 200);
    const teamOver = await chat(gw.url, teamKey, { model: 'priced' });
    assert.equal(teamOver.status, 400);
    assert.match(teamOver.json.error.message, new RegExp(`^Budget has been exceeded! LiteLLM Team: ${teamId}, exceeded budget for model=priced`));
    const ownKey = (await gw.admin('/key/generate', { team_id: teamId, model_max_budget: { priced: { budget_limit: 1000, time_period: '1d' } } })).json.key as string;
    assert.equal((await chat(gw.url, ownKey, { model: 'priced' })).status, 200, 'the key budget overrides the team budget');
    const userId = `mmb-user-${dialect}`;
    await gw.admin('/user/new', { user_id: userId, auto_create_key: false, model_max_budget: { 'gpt-4o': { max_budget: 0, budget_duration: '1mo' } } });
    const userKey = (await gw.admin('/key/generate', { user_id: userId })).json.key as string;
    const userOver = await chat(gw.url, userKey, { model: 'gpt-4o' });
    assert.equal(userOver.status, 400);
    assert.match(userOver.json.error.message, new RegExp(`LiteLLM User: ${userId}, exceeded budget for model=gpt-4o`));
    assert.equal((await gw.admin('/team/update', { team_id: teamId, model_max_budget: { priced: {} } })).status, 400);
  });
}
