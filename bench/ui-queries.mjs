// How fast the Logs and Usage screens get their data with 1,000,000 spend-log rows in Postgres (issue 8's target:
// under 500 ms per page). Seeds a throw-away database, starts the control plane, times each UI request (median of 5).
// Usage: npm run build && SLUICE_LOG_LEVEL=silent node bench/ui-queries.mjs [rows=1000000]
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { validateConfigObject } from '../dist/config/load-config.js';
import { buildSnapshot } from '../dist/config/snapshot.js';
import { Gateway } from '../dist/dataplane/gateway.js';
import { startGovernance } from '../dist/cli/start-governance.js';
import { hashKey } from '../dist/auth/key-hash.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const ADMIN = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const name = `sluice_uibench_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = ADMIN.replace(/\/[^/]*$/, `/${name}`);
const MASTER = 'sk-bench-master';
const env = { ...process.env, DATABASE_URL: url };
delete env.LITELLM_MASTER_KEY;
const snapshot = buildSnapshot(validateConfigObject({ model_list: [{ model_name: 'm', litellm_params: { model: 'openai/gpt-4o', api_base: 'http://127.0.0.1:9/v1', api_key: 'x' } }], general_settings: { master_key: MASTER } }, env).config, env);
let governance = await startGovernance(snapshot, env, { role: 'control', flushIntervalMs: 60_000 });
await governance.close(1_000);

const tokens = Array.from({ length: 100 }, (_, i) => hashKey(`sk-bench-${i}`));
const db = new pg.Client({ connectionString: url });
await db.connect();
let t = performance.now();
await db.query(`
  INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, api_key, spend, total_tokens, prompt_tokens, completion_tokens, "startTime", "endTime",
    request_duration_ms, model, model_group, custom_llm_provider, team_id, status, metadata)
  SELECT md5(i::text), 'acompletion', ($1::text[])[1 + i % 100], 0.0001 * (i % 7), 100, 60, 40, now() - (i || ' seconds')::interval * 2,
    now() - (i || ' seconds')::interval * 2 + interval '200 ms', 200, 'model-' || (i % 5), 'model-' || (i % 5), 'openai', 'team-' || (i % 10),
    CASE WHEN i % 50 = 0 THEN 'failure' ELSE 'success' END, '{}'::jsonb
  FROM generate_series(1, $2) AS i`, [tokens, ROWS]);
await db.query(`
  INSERT INTO "LiteLLM_DailyUserSpend" (id, user_id, date, api_key, model, model_group, custom_llm_provider, prompt_tokens, completion_tokens, spend, api_requests, successful_requests, updated_at)
  SELECT md5(d || '-' || k || '-' || m), 'u' || k, to_char(current_date - d, 'YYYY-MM-DD'), ($1::text[])[k], 'model-' || m, 'model-' || m, 'openai', 6000, 4000, 0.3, 100, 98, now()
  FROM generate_series(0, 29) d, generate_series(1, 100) k, generate_series(0, 4) m`, [tokens]);
await db.query(`
  INSERT INTO "LiteLLM_DailyTeamSpend" (id, team_id, date, api_key, model, model_group, custom_llm_provider, prompt_tokens, completion_tokens, spend, api_requests, successful_requests, updated_at)
  SELECT md5('t-' || d || '-' || k || '-' || m), 'team-' || (k % 10), to_char(current_date - d, 'YYYY-MM-DD'), ($1::text[])[k], 'model-' || m, 'model-' || m, 'openai', 6000, 4000, 0.3, 100, 98, now()
  FROM generate_series(0, 29) d, generate_series(1, 100) k, generate_series(0, 4) m`, [tokens]);
await db.query('ANALYZE');
console.log(`seeded ${ROWS} spend logs + 15,000 daily rows per table in ${((performance.now() - t) / 1000).toFixed(1)} s`);
await db.end();

governance = await startGovernance(snapshot, env, { role: 'control', flushIntervalMs: 60_000 });
const gateway = new Gateway(snapshot, { role: 'control', access: governance.access, observers: governance.observers, management: governance.management ?? undefined });
const { port } = await gateway.listen(0, '127.0.0.1');
const since = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
const today = new Date().toISOString().slice(0, 10);
const cases = {
  'logs page 1': '/spend/logs/ui?page=1&page_size=25',
  'logs page 400': '/spend/logs/ui?page=400&page_size=25',
  'logs by key': `/spend/logs/ui?api_key=${tokens[7]}&page_size=25`,
  'logs by model+status': '/spend/logs/ui?model=model-3&status_filter=failure&page_size=25',
  'logs by team, 1 day': `/spend/logs/ui?team_id=team-3&start_date=${today}&end_date=${today}&page_size=25`,
  'log detail': `/spend/logs/ui?request_id=${'x'}`,
  'usage 30 days': `/user/daily/activity?start_date=${since}&end_date=${today}`,
  'usage by team 30 days': `/team/daily/activity?start_date=${since}&end_date=${today}`,
};
for (const [label, path] of Object.entries(cases)) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${MASTER}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${label}: ${response.status}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(24)} median ${times[2].toFixed(1)} ms  (min ${times[0].toFixed(1)}, max ${times[4].toFixed(1)})`);
}
await gateway.shutdown(1_000);
await governance.close(1_000);
await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.end();
