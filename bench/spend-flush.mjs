// How long one spend flush blocks the gateway's event loop, and how long it takes to commit (SQLite file, or the
// Postgres database in BENCH_DATABASE_URL — Sluice's tables are created there, so give it a scratch database):
// FLUSH_AT_EVENTS (256) events of one key, recorded the way SpendRecorder records them, then written.
// "event loop" is the synchronous part of writeSpend (what the requests behind it wait for); "commit" is until the
// transaction is durable. Median of ROUNDS flushes after a warm-up.
// Usage: npm run build && [BENCH_DATABASE_URL=…] node bench/spend-flush.mjs [events=256] [rounds=30]
import os from 'node:os';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../dist/store/database.js';
import { migrate } from '../dist/store/migrate.js';
import { SpendBuffer } from '../dist/spend/spend-buffer.js';
import { writeSpend } from '../dist/spend/write-spend.js';
import { SpendWriteThread } from '../dist/spend/spend-write-thread.js';


const EVENTS = Number(process.argv[2] ?? 256);
const ROUNDS = Number(process.argv[3] ?? 30);
const database = openDatabase(process.env.BENCH_DATABASE_URL ?? `sqlite://${join(mkdtempSync(join(tmpdir(), 'sluice-flush-')), 'bench.db')}`);
await migrate(database);

const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
let sequence = 0;
function event() {
  const now = Date.now();
  return {
    requestId: `chatcmpl-${sequence++}`, callType: 'acompletion', apiKey: 'a'.repeat(64), spend: 0.000123, promptTokens: 200, completionTokens: 150,
    totalTokens: 350, cacheReadTokens: 0, cacheCreationTokens: 0, startTime: now - 20, endTime: now, completionStartTime: null,
    model: 'gpt-4o-mini', modelId: 'dep-1', modelGroup: 'bench-model', provider: 'openai', apiBase: 'http://127.0.0.1:9/v1', userId: 'user-1',
    teamId: 'team-1', endUser: null, tags: ['bench'], endpoint: '/chat/completions', success: true, keyAlias: 'bench',
  };
}

function fill() {
  const buffer = new SpendBuffer();
  for (let i = 0; i < EVENTS; i++) buffer.record(event(), true, 'a'.repeat(64), 'team-1', 'user-1', null);
  return buffer;
}

async function measure(thread) {
  const loop = [];
  const commit = [];
  for (let round = 0; round < ROUNDS + 5; round++) {
    const buffer = fill();
    const start = performance.now();
    const written = writeSpend(database, buffer, true, thread);
    const returned = performance.now();
    await written;
    const done = performance.now();
    if (round < 5) continue;
    loop.push(returned - start);
    commit.push(done - start);
  }
  return { loop: median(loop), commit: median(commit) };
}

console.log(`machine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load ${os.loadavg()[0].toFixed(2)}`);
console.log(`method: ${ROUNDS} flushes of ${EVENTS} spend events (logs on, key/team/user increments, user/team/tag daily rows) to ${database.description}`);
const thread = new SpendWriteThread(database.connectionSpec);
for (const [name, result] of [['compiled and written on the event loop (before)', await measure(null)], ['handed to the spend write thread', await measure(thread)]]) {
  console.log(`${name}:`);
  console.log(`  event loop blocked per flush: median ${result.loop.toFixed(3)} ms (${((result.loop * 1000) / EVENTS).toFixed(1)} µs per event)`);
  console.log(`  flush until committed:        median ${result.commit.toFixed(3)} ms`);
}
await thread.close();
await database.close();
