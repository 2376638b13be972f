// What one LiteLLM_SpendLogs row costs to insert on SQLite, the way the spend write thread inserts it (16-row bound
// inserts in 256-row transactions, pushRowValues' encoding), against two alternatives: random version-4 request ids
// instead of Sluice's version-7 call ids, and one JSON text per 16 rows unpacked by SQLite's json_each instead of
// bound values. Each variant writes ROWS rows into a fresh file database (Sluice's migrated schema, its pragmas);
// only the second half is measured, so the table and its indexes are already ROWS/2 rows big. CPU is the process's
// user and system time over that half (the kernel's page writes are most of what random ids add, and
// bench/instructions.mjs, which counts user-space instructions, does not see them).
// Usage: npm run build && node bench/spend-insert.mjs [rows=40960]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newCallId } from '../dist/core/call-id.js';
import { appendEvent, emptyBlock } from '../dist/spend/spend-log-block.js';
import { pushRowValues, SPEND_LOG_INSERT_COLUMNS, spendLogInsertSql } from '../dist/spend/spend-log-insert.js';
import { openDatabase } from '../dist/store/database.js';
import { migrate } from '../dist/store/migrate.js';
import { openSqlite } from '../dist/store/sqlite-connection.js';

const ROWS = Number(process.argv[2] ?? 40_960);
const PER_TRANSACTION = 256;
const PER_STATEMENT = 16;
const dir = mkdtempSync(join(tmpdir(), 'sluice-spend-insert-'));

const columns = SPEND_LOG_INSERT_COLUMNS.map((column) => `"${column}"`).join(', ');
const JSON_INSERT = `insert into "LiteLLM_SpendLogs" (${columns}) select ${SPEND_LOG_INSERT_COLUMNS.map((_, index) => `value ->> ${index}`).join(', ')} from json_each(?) where true on conflict ("request_id") do nothing`;

/** A transaction's rows, as the gateway records them: one key's traffic, timestamps ascending across transactions. */
function block(firstMs, idKind) {
  const rows = emptyBlock();
  for (let index = 0; index < PER_TRANSACTION; index++) {
    const start = firstMs + index;
    appendEvent(rows, {
      spend: 0.000123, promptTokens: 200, completionTokens: 150, totalTokens: 350, cacheReadTokens: 0, cacheCreationTokens: 0, startTime: start,
      endTime: start + 3, completionStartTime: null, success: true, requestId: idKind === 'v7' ? newCallId(start) : randomUUID(), callType: 'acompletion',
      apiKey: 'a'.repeat(64), model: 'gpt-4o-mini', modelId: 'dep-1', modelGroup: 'bench-model', provider: 'openai', apiBase: 'http://127.0.0.1:9/v1',
      userId: 'user-1', teamId: 'team-1', endUser: null, endpoint: '/chat/completions', keyAlias: 'bench', tags: [],
    });
  }
  return rows;
}

async function measure(encoding, idKind, rowCount = ROWS) {
  const path = join(dir, `${encoding}-${idKind}.db`);
  const database = openDatabase(`sqlite://${path}`);
  await migrate(database);
  await database.close();
  const connection = openSqlite(path);
  const statements = new Map();
  const prepared = (sql) => statements.get(sql) ?? statements.set(sql, connection.prepare(sql)).get(sql);
  const write = (rows) => {
    for (let start = 0; start < rows.length; start += PER_STATEMENT) {
      const end = Math.min(rows.length, start + PER_STATEMENT);
      if (encoding === 'bound') {
        const values = [];
        for (let index = start; index < end; index++) pushRowValues(rows, index, 'sqlite', values);
        prepared(spendLogInsertSql('sqlite', end - start)).run(...values);
      } else {
        const tuples = [];
        for (let index = start; index < end; index++) {
          const values = [];
          pushRowValues(rows, index, 'sqlite', values);
          tuples.push(values);
        }
        prepared(JSON_INSERT).run(JSON.stringify(tuples));
      }
    }
  };
  const transactions = Math.ceil(rowCount / PER_TRANSACTION);
  let firstMs = Date.UTC(2026, 11, 1);
  let started = 0;
  let cpuBefore = null;
  for (let index = 0; index < transactions; index++) {
    const rows = block(firstMs, idKind);
    firstMs += PER_TRANSACTION;
    if (index === transactions >> 1) {
      started = performance.now();
      cpuBefore = process.cpuUsage();
    }
    connection.transaction(() => write(rows)).immediate();
  }
  const measuredRows = (transactions - (transactions >> 1)) * PER_TRANSACTION;
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const written = connection.prepare('select count(*) as n from "LiteLLM_SpendLogs"').get().n;
  connection.close();
  rmSync(path, { force: true });
  if (written !== transactions * PER_TRANSACTION) throw new Error(`${encoding}/${idKind}: ${written} rows written, ${transactions * PER_TRANSACTION} expected`);
  return { perRowUs: (elapsedMs * 1000) / measuredRows, userS: cpu.user / 1e6, systemS: cpu.system / 1e6, measuredRows };
}

console.log(`machine: ${os.cpus().length}× ${os.cpus()[0]?.model.trim() ?? 'cpu'}, node ${process.version}, load ${os.loadavg()[0].toFixed(2)}`);
console.log(`method: ${ROWS} SpendLogs rows per variant into a fresh SQLite file (${PER_TRANSACTION}-row transactions, ${PER_STATEMENT} rows per statement); the second half is measured, after a short warm-up pass`);
// A short pass of each encoding first, so V8 has compiled the row encoding before anything is measured.
for (const encoding of ['bound', 'json_each']) await measure(encoding, 'v7', 4 * PER_TRANSACTION);
console.log('  insert           request ids   µs per row   user s   system s');
for (const [encoding, idKind] of [['bound', 'v7'], ['bound', 'v4'], ['json_each', 'v7'], ['bound', 'v7'], ['bound', 'v4']]) {
  const result = await measure(encoding, idKind);
  console.log(`  ${encoding.padEnd(15)}  ${idKind.padEnd(12)}  ${result.perRowUs.toFixed(2).padStart(10)}  ${result.userS.toFixed(2).padStart(7)}  ${result.systemS.toFixed(2).padStart(9)}`);
}
rmSync(dir, { recursive: true, force: true });
