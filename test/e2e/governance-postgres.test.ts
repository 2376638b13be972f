// The governance suite on the real Postgres (a fresh database per run; skipped when unreachable outside CI).
import { after } from 'node:test';
import { freshPostgres } from '../support/governed-gateway.js';
import { runGovernanceSuite } from './governance-suite.js';

let drop: (() => Promise<void>) | null = null;
runGovernanceSuite('postgres', async () => {
  const database = await freshPostgres('suite');
  if (database === null) return null;
  drop = database.drop;
  return database.url;
});
after(async () => {
  await drop?.();
});
