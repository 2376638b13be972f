// Runs SQLite write batches on their own thread, so a large spend flush never blocks the gateway's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { SqliteBatchMessage, SqliteBatchReply } from './sqlite-writer.js';

const database = new BetterSqlite3((workerData as { path: string }).path);
database.pragma('journal_mode = WAL');
database.pragma('busy_timeout = 5000');
database.pragma('synchronous = NORMAL');
const statements = new Map<string, BetterSqlite3.Statement>();

function statement(sql: string): BetterSqlite3.Statement {
  let prepared = statements.get(sql);
  if (prepared === undefined) {
    prepared = database.prepare(sql);
    if (statements.size > 500) statements.clear();
    statements.set(sql, prepared);
  }
  return prepared;
}

function runBatch(message: SqliteBatchMessage): number {
  let total = 0;
  database
    .transaction(() => {
      for (const step of message.steps) {
        let changes = statement(step.sql).run(...step.parameters).changes;
        if (changes === 0 && step.orInsert !== null) changes = statement(step.orInsert.sql).run(...step.orInsert.parameters).changes;
        total += changes;
      }
    })
    .immediate();
  return total;
}

parentPort!.on('message', (message: SqliteBatchMessage | 'close') => {
  if (message === 'close') {
    database.close();
    parentPort!.close();
    return;
  }
  let reply: SqliteBatchReply;
  try {
    reply = { id: message.id, error: null, changes: runBatch(message) };
  } catch (error) {
    reply = { id: message.id, error: (error as Error).message, changes: 0 };
  }
  parentPort!.postMessage(reply);
});
