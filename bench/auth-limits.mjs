// Hot-path cost of governance: authenticate a virtual key + model access + budgets + rate limits, with 100,000 keys
// loaded (from a real SQLite store), and the after-response accounting. Reports the median of several rounds, in
// wall time and in this process's CPU time (steadier when other processes share the cores).
// Usage: npm run build && node bench/auth-limits.mjs [keys=100000] [members]
//   members: every key also has a user whose team membership has a budget (LiteLLM_TeamMembership), and a
//   per-model budget (model_max_budget) on the model it calls, so those checks run on every request too.
import { performance } from 'node:perf_hooks';
import { AccessController } from '../dist/auth/access-controller.js';
import { GovernanceState } from '../dist/auth/governance-state.js';
import { hashKey } from '../dist/auth/key-hash.js';
import { openDatabase } from '../dist/store/database.js';
import { migrate } from '../dist/store/migrate.js';
import { Repository } from '../dist/store/repository.js';
import { BUDGET_TABLE, TEAM_MEMBERSHIP, TEAM_TABLE, VERIFICATION_TOKEN } from '../dist/store/tables.js';
import { encodeRow } from '../dist/store/codec.js';

const KEYS = Number(process.argv[2] ?? 100_000);
const MEMBERS = process.argv[3] === 'members';
const database = openDatabase('sqlite://:memory:');
await migrate(database);
const rawKeys = [];
let setup = performance.now();
await database.db.insertInto(TEAM_TABLE.name).values(encodeRow(TEAM_TABLE, { team_id: 't1', models: ['gpt-4o', 'gpt-4o-mini'], rpm_limit: 1e12, tpm_limit: 1e15, max_budget: 1e9, spend: 0, created_at: new Date(), updated_at: new Date() }, 'sqlite')).execute();
for (let start = 0; start < KEYS; start += 2000) {
  const rows = [];
  for (let i = start; i < Math.min(KEYS, start + 2000); i++) {
    const raw = `sk-bench-${i.toString(36).padStart(12, '0')}`;
    rawKeys.push(raw);
    const member = MEMBERS && i % 2 === 0;
    rows.push(encodeRow(VERIFICATION_TOKEN, {
      token: hashKey(raw), key_alias: `k${i}`, models: ['gpt-4o'], team_id: i % 2 === 0 ? 't1' : null, user_id: member ? `u${i}` : null, max_budget: 1e9, rpm_limit: 1e12, tpm_limit: 1e15,
      max_parallel_requests: 1e9, spend: 0, metadata: { model_rpm_limit: { 'gpt-4o': 1e12 } }, model_max_budget: MEMBERS ? { 'gpt-4o': { budget_limit: 1e9, time_period: '1d' } } : {},
    }, 'sqlite'));
  }
  await database.db.insertInto(VERIFICATION_TOKEN.name).values(rows).execute();
}
if (MEMBERS) {
  await database.db.insertInto(BUDGET_TABLE.name).values(encodeRow(BUDGET_TABLE, { budget_id: 'member-budget', max_budget: 1e9, created_by: 'bench', updated_by: 'bench' }, 'sqlite')).execute();
  for (let start = 0; start < KEYS; start += 4000) {
    const rows = [];
    for (let i = start; i < Math.min(KEYS, start + 4000); i += 2) rows.push({ team_id: 't1', user_id: `u${i}`, spend: 0, budget_id: 'member-budget' });
    await database.db.insertInto(TEAM_MEMBERSHIP.name).values(rows).execute();
  }
}
const state = new GovernanceState(new Repository(database), new Map());
let loadStart = performance.now();
await state.loadAll();
const loadMs = performance.now() - loadStart;
const access = new AccessController(state, { masterKey: 'sk-master', globalMaxBudget: 1e12 }, { budgetReset() {} });
const body = { model: 'gpt-4o', messages: [], user: 'end-user-1' };
const headers = {};

let cpuUs = 0;
function round(n) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const grant = access.authenticate(rawKeys[(i * 7919) % KEYS]);
    const denied = grant.admit('gpt-4o', body, headers);
    if (denied !== null) throw denied;
    // what the spend observer undoes afterwards (in-flight slots)
    grant.key.usage.inFlight--;
    if (grant.team !== null) grant.team.usage.inFlight--;
    if (grant.modelWindow !== null) grant.modelWindow.inFlight--;
    if (grant.member != null) grant.member.usage.inFlight--;
  }
  const used = process.cpuUsage(cpu);
  cpuUs = (used.user + used.system) / n;
  return ((performance.now() - started) * 1000) / n;
}

if (globalThis.gc) globalThis.gc();
const heapAfterLoad = Math.round(process.memoryUsage().heapUsed / 1048576);
round(50_000);
const results = [];
const cpuResults = [];
for (let r = 0; r < 7; r++) {
  results.push(round(100_000));
  cpuResults.push(cpuUs);
}
results.sort((a, b) => a - b);
cpuResults.sort((a, b) => a - b);
const memory = process.memoryUsage();
console.log(JSON.stringify({
  keys: KEYS, members: MEMBERS, load_ms: Math.round(loadMs), setup_ms: Math.round(loadStart - setup),
  us_per_request_median: Number(results[3].toFixed(3)), us_per_request_min: Number(results[0].toFixed(3)), us_per_request_max: Number(results[6].toFixed(3)),
  cpu_us_per_request_median: Number(cpuResults[3].toFixed(3)), cpu_us_per_request_min: Number(cpuResults[0].toFixed(3)),
  heap_after_load_mb: heapAfterLoad, heap_mb: Math.round(memory.heapUsed / 1048576), rss_mb: Math.round(memory.rss / 1048576),
}));
await database.close();
