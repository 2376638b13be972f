// `/team/bulk_member_add`, `teams` on `/user/new` and per-model spend on `/key/info`, run on SQLite and Postgres.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { hashKey } from '../../src/auth/key-hash.js';
import { encodeRow } from '../../src/store/codec.js';
import { DAILY_USER_SPEND } from '../../src/store/tables.js';
import type { GovernedGateway } from '../support/governed-gateway.js';
import { chat, eventually, governedFixture, membershipRow } from './governance-suite.js';

interface MemberResult {
  user_id: string | null;
  user_email: string | null;
  success: boolean;
  error: string | null;
  updated_user: { user_id: string; teams: string[] } | null;
  updated_team_membership: { user_id: string; team_id: string; litellm_budget_table: { max_budget: number } | null } | null;
}

export function runMembersSuite(dialect: string, databaseUrl: () => Promise<string | null>): void {
  let gw: GovernedGateway;
  const it = governedFixture(dialect, databaseUrl, (started) => {
    gw = started;
  });

  async function newTeam(label: string): Promise<string> {
    const created = await gw.admin('/team/new', { team_alias: `${label}-${dialect}` });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    return created.json.team_id as string;
  }

  /** Asserts an OpenAI-shaped error with this status (and param, when given). */
  function assertError(response: { status: number; json: any }, status: number, param?: string): void {
    assert.equal(response.status, status, JSON.stringify(response.json));
    assert.equal(response.json.error.code, String(status), 'code is the status as a string');
    assert.equal(typeof response.json.error.message, 'string', 'the error has a message');
    assert.equal(typeof response.json.error.type, 'string', 'the error has a type');
    if (param !== undefined) assert.equal(response.json.error.param, param);
  }

  it('bulk_member_add: every member added through member_add, with its own budget, LiteLLM\'s response shape', async () => {
    const teamId = await newTeam('bulk');
    const alice = `bulk-alice-${dialect}`;
    const bobEmail = `bulk-bob-${dialect}@example.com`;
    const added = await gw.admin('/team/bulk_member_add', { team_id: teamId, members: [{ user_id: alice, role: 'admin' }, { user_email: bobEmail }], max_budget_in_team: 2 });
    assert.equal(added.status, 200, JSON.stringify(added.json));
    assert.equal(added.json.team_id, teamId);
    assert.deepEqual([added.json.total_requested, added.json.successful_additions, added.json.failed_additions], [2, 2, 0]);
    const [first, second] = added.json.results as MemberResult[];
    assert.deepEqual([first!.user_id, first!.user_email, first!.success, first!.error], [alice, null, true, null]);
    assert.deepEqual([second!.user_id, second!.user_email, second!.success], [null, bobEmail, true]);
    assert.ok(first!.updated_user!.teams.includes(teamId), 'the user row lists the team');
    assert.equal(first!.updated_team_membership!.team_id, teamId);
    assert.equal(first!.updated_team_membership!.litellm_budget_table!.max_budget, 2);
    assert.equal(second!.updated_user!.user_id, bobEmail, 'a member named by email is stored under it, as member_add does');
    assert.equal(added.json.updated_team.team_id, teamId);
    assert.deepEqual(added.json.updated_team.members, [alice, bobEmail]);
    assert.deepEqual(added.json.updated_team.admins, [alice]);
    assert.equal(added.json.updated_team.updated_users.length, 2);
    const info = await gw.admin(`/team/info?team_id=${teamId}`);
    const budgets = (info.json.team_memberships as Array<{ user_id: string; litellm_budget_table: { max_budget: number } | null }>).map((row) => [row.user_id, row.litellm_budget_table?.max_budget]);
    assert.deepEqual(budgets.sort(), [[alice, 2], [bobEmail, 2]].sort());
    assert.ok((await gw.admin(`/user/info?user_id=${alice}`)).json.user_info.teams.includes(teamId), '/user/info shows the team');
  });

  it('bulk_member_add: members already in the team or named twice fail on their own; the others are added', async () => {
    const teamId = await newTeam('bulk-partial');
    const [ann, ben, cat] = ['ann', 'ben', 'cat'].map((name) => `bulk-${name}-${dialect}`);
    assert.equal((await gw.admin('/team/member_add', { team_id: teamId, member: { user_id: ann, role: 'user' } })).status, 200);
    const partial = await gw.admin('/team/bulk_member_add', { team_id: teamId, members: [{ user_id: ann }, { user_id: ben }, { user_id: ben }, { user_id: cat }] });
    assert.equal(partial.status, 200, JSON.stringify(partial.json));
    assert.deepEqual([partial.json.total_requested, partial.json.successful_additions, partial.json.failed_additions], [4, 2, 2]);
    const results = partial.json.results as MemberResult[];
    assert.deepEqual(results.map((row) => row.success), [false, true, false, true]);
    assert.match(results[0]!.error!, /already in team/);
    assert.match(results[2]!.error!, /more than once/);
    assert.equal(results[0]!.updated_user, null);
    assert.equal(results[2]!.updated_team_membership, null);
    assert.deepEqual(partial.json.updated_team.members, [ann, ben, cat]);
    assert.equal(partial.json.updated_team.updated_users.length, 2, 'only ben and cat were written');
    const none = await gw.admin('/team/bulk_member_add', { team_id: teamId, members: [{ user_id: ann }, { user_id: cat }] });
    assert.equal(none.status, 200, JSON.stringify(none.json));
    assert.deepEqual([none.json.successful_additions, none.json.failed_additions, none.json.updated_team], [0, 2, null]);
  });

  it('bulk_member_add with all_users adds every user on the proxy', async () => {
    for (const name of ['one', 'two']) assert.equal((await gw.admin('/user/new', { user_id: `all-${name}-${dialect}`, auto_create_key: false })).status, 200);
    const users = (await gw.admin('/user/list?page_size=100')).json as { total: number; users: Array<{ user_id: string }> };
    const teamId = await newTeam('bulk-all');
    const added = await gw.admin('/team/bulk_member_add', { team_id: teamId, all_users: true });
    assert.equal(added.status, 200, JSON.stringify(added.json));
    assert.equal(added.json.total_requested, users.total);
    assert.equal(added.json.successful_additions, users.total);
    assert.deepEqual([...(added.json.updated_team.members as string[])].sort(), users.users.map((user) => user.user_id).sort());
    assert.ok((added.json.results as MemberResult[]).every((row) => row.success && row.updated_team_membership !== null), 'every user has a membership');
  });

  it('bulk_member_add: bad input is a 400, an unknown team a 404, a non-admin key a 401; nothing is written', async () => {
    const teamId = await newTeam('bulk-errors');
    const valid = { user_id: `bulk-never-${dialect}` };
    assertError(await gw.admin('/team/bulk_member_add', { team_id: 'no-such-team', members: [valid] }), 404);
    assertError(await gw.admin('/team/bulk_member_add', { members: [valid] }), 400, 'team_id');
    assertError(await gw.admin('/team/bulk_member_add', { team_id: teamId }), 400, 'members');
    assertError(await gw.admin('/team/bulk_member_add', { team_id: teamId, members: [] }), 400, 'members');
    assertError(await gw.admin('/team/bulk_member_add', { team_id: teamId, members: valid }), 400, 'members');
    assertError(await gw.admin('/team/bulk_member_add', { team_id: teamId, members: [valid, { role: 'user' }] }), 400, 'members');
    assertError(await gw.admin('/team/bulk_member_add', { team_id: teamId, members: [valid, 'someone'] }), 400, 'members');
    assertError(await gw.admin('/team/bulk_member_add', { team_id: teamId, members: [{ ...valid, role: 'owner' }] }), 400, 'members');
    assertError(await gw.admin('/team/bulk_member_add', { team_id: teamId, members: [valid], max_budget_in_team: -1 }), 400, 'max_budget_in_team');
    assertError(await gw.admin('/team/bulk_member_add', { team_id: teamId, members: [valid], max_budget_in_team: 'lots' }), 400, 'max_budget_in_team');
    assertError(await gw.admin('/team/bulk_member_add', { team_id: teamId, all_users: 'yes' }), 400, 'all_users');
    const many = Array.from({ length: 501 }, (_, i) => ({ user_id: `bulk-many-${i}` }));
    const tooMany = await gw.admin('/team/bulk_member_add', { team_id: teamId, members: many });
    assertError(tooMany, 400, 'members');
    assert.match(tooMany.json.error.message, /Maximum 500/);
    const userKey = (await gw.admin('/key/generate', {})).json.key as string;
    const refused = await gw.admin('/team/bulk_member_add', { team_id: teamId, members: [valid] }, userKey);
    assertError(refused, 401);
    assert.equal(refused.json.error.type, 'auth_error');
    const info = await gw.admin(`/team/info?team_id=${teamId}`);
    assert.deepEqual(info.json.team_info.members, [], 'no request above added anyone');
    assert.equal((await gw.admin(`/user/info?user_id=${valid.user_id}`)).status, 404, 'no user was created');
  });

  it('/user/new with teams: the user joins each team (role, team member budget) and the answer lists them', async () => {
    const plain = await newTeam('join-plain');
    const budgeted = await newTeam('join-budget');
    const userId = `joiner-${dialect}`;
    const created = await gw.admin('/user/new', { user_id: userId, user_email: 'joiner@example.com', teams: [plain, { team_id: budgeted, max_budget_in_team: 0, user_role: 'admin' }] });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    assert.deepEqual(created.json.teams, [plain, budgeted]);
    assert.match(created.json.key, /^sk-/);
    const plainInfo = await gw.admin(`/team/info?team_id=${plain}`);
    assert.deepEqual(plainInfo.json.team_info.members_with_roles, [{ user_id: userId, role: 'user', user_email: 'joiner@example.com' }]);
    assert.equal(plainInfo.json.team_memberships[0].litellm_budget_table, null);
    const budgetInfo = await gw.admin(`/team/info?team_id=${budgeted}`);
    assert.deepEqual(budgetInfo.json.team_info.admins, [userId]);
    assert.equal(budgetInfo.json.team_memberships[0].litellm_budget_table.max_budget, 0);
    assert.ok((await membershipRow(gw, budgeted, userId))?.budget_id, 'the membership row links its own budget');
    // The member budget is enforced like one set by /team/member_add.
    const teamKey = (await gw.admin('/key/generate', { team_id: budgeted, user_id: userId })).json.key as string;
    const over = await chat(gw.url, teamKey);
    assert.equal(over.status, 400, over.text);
    assert.equal(over.json.error.type, 'budget_exceeded');
    assert.equal((await chat(gw.url, (await gw.admin('/key/generate', { team_id: plain, user_id: userId })).json.key as string)).status, 200, 'no budget in the other team');
    const info = await gw.admin(`/user/info?user_id=${userId}`);
    assert.deepEqual(info.json.user_info.teams, [plain, budgeted]);
    assert.deepEqual((info.json.teams as Array<{ team_id: string }>).map((team) => team.team_id).sort(), [plain, budgeted].sort());
  });

  it('/user/new with an unknown team or a bad teams entry is a 400 and creates nothing', async () => {
    const teamId = await newTeam('join-errors');
    const userId = `not-created-${dialect}`;
    const unknown = await gw.admin('/user/new', { user_id: userId, teams: [teamId, 'no-such-team'] });
    assertError(unknown, 400, 'teams');
    assert.match(unknown.json.error.message, /no-such-team/);
    for (const teams of ['x', [''], [{}], [{ team_id: teamId, user_role: 'owner' }], [{ team_id: teamId, max_budget_in_team: -1 }], [teamId, { team_id: teamId }], [7]]) {
      assertError(await gw.admin('/user/new', { user_id: userId, teams }), 400, 'teams');
    }
    assert.equal((await gw.admin(`/user/info?user_id=${userId}`)).status, 404, 'the user was not created');
    assert.deepEqual((await gw.admin(`/team/info?team_id=${teamId}`)).json.team_info.members, [], 'the known team gained no member');
    assert.equal(await membershipRow(gw, teamId, userId), undefined, 'no membership row');
    assert.equal((await gw.admin('/key/list?user_id=' + userId)).json.total_count, 0, 'no key was issued');
  });

  it('/key/info model_spend: spend per model from LiteLLM_DailyUserSpend', async () => {
    const created = await gw.admin('/key/generate', { key_alias: `model-spend-${dialect}` });
    const key = created.json.key as string;
    assert.deepEqual((await gw.admin(`/key/info?key=${key}`)).json.info.model_spend, {}, 'no spend yet');
    const expected: Record<string, number> = {};
    for (const [model, upstream] of [['gpt-4o', 'gpt-4o'], ['gpt-4o', 'gpt-4o'], ['gpt-4o-mini', 'gpt-4o-mini'], ['priced', 'custom-model']] as const) {
      const response = await chat(gw.url, key, { model });
      assert.equal(response.status, 200, response.text);
      expected[upstream] = (expected[upstream] ?? 0) + Number(response.headers.get('x-litellm-response-cost'));
    }
    await eventually(async () => {
      const spend = (await gw.admin(`/key/info?key=${key}`)).json.info.model_spend as Record<string, number>;
      assert.deepEqual(Object.keys(spend).sort(), Object.keys(expected).sort());
      for (const [model, cost] of Object.entries(expected)) assert.ok(Math.abs(spend[model]! - cost) < 1e-9, `${model}: ${spend[model]} vs ${cost}`);
    });
  });

  it('/key/info model_spend sums every day and user of the key, and nothing of other keys or without a model', async () => {
    const key = (await gw.admin('/key/generate', {})).json.key as string;
    const other = (await gw.admin('/key/generate', {})).json.key as string;
    const { db, dialect: kind } = gw.governance.database;
    const rows: Array<[string, string, string | null, number]> = [
      [key, '2026-01-01', 'gpt-4o', 0.25], [key, '2026-01-02', 'gpt-4o', 0.5], [key, '2026-01-02', 'claude-sonnet-4-5', 1.5],
      [key, '2026-01-02', null, 7], [other, '2026-01-01', 'gpt-4o', 100],
    ];
    for (const [index, [raw, date, model, spend]] of rows.entries()) {
      const values = { id: randomUUID(), user_id: `u${index % 2}`, date, api_key: hashKey(raw), model, spend, api_requests: 1, updated_at: new Date() };
      await db.insertInto(DAILY_USER_SPEND.name).values(encodeRow(DAILY_USER_SPEND, values, kind)).execute();
    }
    const info = await gw.admin(`/key/info?key=${key}`);
    assert.equal(info.status, 200, JSON.stringify(info.json));
    assert.deepEqual(info.json.info.model_spend, { 'claude-sonnet-4-5': 1.5, 'gpt-4o': 0.75 });
    assert.deepEqual((await gw.admin(`/key/info?key=${other}`)).json.info.model_spend, { 'gpt-4o': 100 });
    assertError(await gw.admin('/key/info?key=sk-no-such-key'), 404);
  });
}
