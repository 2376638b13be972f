// Team-member and per-model budgets on an embedded SQLite file (spend written by the SQLite write thread).
import { sqliteUrl } from '../support/governed-gateway.js';
import { runBudgetSuite } from './governance-budget-suite.js';

runBudgetSuite('sqlite', async () => sqliteUrl());
