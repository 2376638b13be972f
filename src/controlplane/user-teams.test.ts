// joinTeams' rollback: a join that fails part-way leaves neither the user nor any of its memberships behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GovernanceState } from '../auth/governance-state.js';
import { openDatabase, type Row } from '../store/database.js';
import { migrate } from '../store/migrate.js';
import { Repository, type ChangeKind } from '../store/repository.js';
import { TEAM_MEMBERSHIP, TEAM_TABLE, USER_TABLE } from '../store/tables.js';
import type { ManagementContext } from './management-context.js';
import { joinTeams, teamsToJoin } from './user-teams.js';

async function fixture(failOn: string | null): Promise<{ ctx: ManagementContext; repo: Repository; close(): Promise<void> }> {
  const database = openDatabase('sqlite://:memory:');
  await migrate(database);
  const repo = new Repository(database);
  const now = new Date();
  for (const teamId of ['first', 'second']) await repo.insert(TEAM_TABLE, { team_id: teamId, members: [], admins: [], members_with_roles: [], created_at: now, updated_at: now });
  await repo.insert(USER_TABLE, { user_id: 'newcomer', teams: [], created_at: now, updated_at: now });
  let failed = false;
  const ctx: ManagementContext = {
    body: {}, query: new URLSearchParams(), repo, caller: 'master',
    // No route here reads the in-memory state; the management API's own tests cover reloads.
    state: {} as GovernanceState,
    changed: async (kind: ChangeKind, id: string) => {
      // Stands in for a write failing (once) while the user joins the second team.
      if (`${kind}:${id}` === failOn && !failed) {
        failed = true;
        throw new Error('database went away');
      }
    },
  };
  return { ctx, repo, close: () => database.close() };
}

test('joinTeams adds the user to every team in order', async () => {
  const { ctx, repo, close } = await fixture(null);
  try {
    await joinTeams(ctx, 'newcomer', null, await teamsToJoin(ctx, ['first', { team_id: 'second', user_role: 'admin', max_budget_in_team: 5 }]));
    assert.deepEqual((await repo.get('user', 'newcomer'))?.teams, ['first', 'second']);
    assert.deepEqual((await repo.get('team', 'second'))?.admins, ['newcomer']);
    const second = await repo.membership('second', 'newcomer');
    assert.equal((await repo.get('budget', String(second?.budget_id)))?.max_budget, 5);
  } finally {
    await close();
  }
});

test('a join that fails part-way removes the user and the memberships already made, and rethrows', async () => {
  const { ctx, repo, close } = await fixture('team:second');
  try {
    const teams = await teamsToJoin(ctx, ['first', 'second']);
    await assert.rejects(joinTeams(ctx, 'newcomer', null, teams), /database went away/);
    assert.equal(await repo.get('user', 'newcomer'), null, 'the user is gone');
    for (const teamId of ['first', 'second']) {
      const team = (await repo.get('team', teamId)) as Row;
      assert.deepEqual([team.members, team.members_with_roles], [[], []], `${teamId} lists no member`);
    }
    assert.deepEqual(await repo.all(TEAM_MEMBERSHIP), [], 'no membership row is left');
  } finally {
    await close();
  }
});

test('teamsToJoin refuses an unknown team before anything is written', async () => {
  const { ctx, close } = await fixture(null);
  try {
    await assert.rejects(teamsToJoin(ctx, ['first', 'missing']), (error: { status?: number; param?: string }) => error.status === 400 && error.param === 'teams');
  } finally {
    await close();
  }
});
