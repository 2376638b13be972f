// Team-member and per-model budgets on the real Postgres (a fresh database per run; skipped when unreachable outside CI).
import { after } from 'node:test';
import { freshPostgres } from '../support/governed-gateway.js';
import { runBudgetSuite } from './governance-budget-suite.js';

let drop: (() => Promise<void>) | null = null;
runBudgetSuite('postgres', async () => {
  const database = await freshPostgres('budgets');
  if (database === null) return null;
  drop = database.drop;
  return database.url;
});
after(async () => {
  await drop?.();
});
