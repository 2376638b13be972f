// Bulk member add, teams on /user/new and per-model key spend on the real Postgres (a fresh database per run;
// skipped when unreachable outside CI).
import { after } from 'node:test';
import { freshPostgres } from '../support/governed-gateway.js';
import { runMembersSuite } from './governance-members-suite.js';

let drop: (() => Promise<void>) | null = null;
runMembersSuite('postgres', async () => {
  const database = await freshPostgres('members');
  if (database === null) return null;
  drop = database.drop;
  return database.url;
});
after(async () => {
  await drop?.();
});
