// The SQLite spend write thread: compiles each batch's statements and runs them in one transaction, so neither the
// compiling nor the writing blocks the gateway's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { Db } from '../store/database.js';
import { stepsOf, type StatementTarget } from './spend-statements.js';
import type { SpendWriteMessage, SpendWriteReply } from './spend-write-thread.js';

const database = new BetterSqlite3((workerData as { path: string }).path);
database.pragma('journal_mode = WAL');
database.pragma('busy_timeout = 5000');
database.pragma('synchronous = NORMAL');

/** Kysely only compiles here; better-sqlite3 runs the SQL. */
const compiler: StatementTarget = {
  dialect: 'sqlite',
  db: new Kysely({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }) as Db,
};

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

function runBatch(message: SpendWriteMessage): void {
  const steps = stepsOf(compiler, message.batch, message.writeLogs);
  database
    .transaction(() => {
      for (const step of steps) {
        const changes = statement(step.query.sql).run(...step.query.parameters).changes;
        if (changes === 0 && step.orInsert !== null) statement(step.orInsert.sql).run(...step.orInsert.parameters);
        if (changes > 0 && step.thenRun !== undefined) for (const then of step.thenRun) statement(then.sql).run(...then.parameters);
      }
    })
    .immediate();
}

parentPort!.on('message', (message: SpendWriteMessage | 'close') => {
  if (message === 'close') {
    database.close();
    parentPort!.close();
    return;
  }
  let reply: SpendWriteReply;
  try {
    runBatch(message);
    reply = { id: message.id, error: null };
  } catch (error) {
    reply = { id: message.id, error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
