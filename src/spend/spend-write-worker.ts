// The spend write thread: builds each batch's statements and runs them in one transaction on its own connection, so
// neither building nor writing them (nor, for Postgres, the driver's encoding) runs on the gateway's event loop.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import { nodePostgres } from '../core/optional-modules.js';
import type { ConnectionSpec } from '../store/database.js';
import { openSqlite } from '../store/sqlite-connection.js';
import { stepsOf, type Step } from './spend-statements.js';
import type { SpendWriteMessage, SpendWriteReply } from './spend-write-thread.js';

/** Runs one batch's steps in one transaction. */
type StepRunner = (steps: Step[]) => Promise<void> | void;

/**
 * SQLite runs a batch synchronously, so without a pause the thread holds its core for the whole transaction (~3 ms
 * for 256 rows); when that core also runs the event loop, requests arriving meanwhile wait for it. A 50 µs sleep
 * every few rows (one 16-row insert) hands the core back: the event loop waits at most one group's work. The transaction stays
 * one transaction (WAL readers are not blocked by it; other writers wait on busy_timeout).
 */
class Pacer {
  private readonly cell = new Int32Array(new SharedArrayBuffer(4));
  private count = 0;

  constructor(private readonly every: number) {}

  /** `rows`: what the statement just run wrote (a 16-row insert counts as 16 one-row statements). */
  tick(rows = 1): void {
    if (this.every <= 0) return;
    this.count += rows;
    if (this.count < this.every) return;
    this.count = 0;
    Atomics.wait(this.cell, 0, 0, PAUSE_MS);
  }
}
const PAUSE_MS = 0.05;
const paceEvery = Number(process.env.SLUICE_SPEND_THREAD_PACE ?? 16);

function sqliteRunner(path: string): { run: StepRunner; close(): Promise<void> } {
  const pacer = new Pacer(Number.isInteger(paceEvery) ? paceEvery : 16);
  const database = openSqlite(path);
  const statements = new Map<string, BetterSqlite3.Statement>();
  const statement = (sql: string): BetterSqlite3.Statement => {
    let prepared = statements.get(sql);
    if (prepared === undefined) {
      prepared = database.prepare(sql);
      if (statements.size > 500) statements.clear();
      statements.set(sql, prepared);
    }
    return prepared;
  };
  return {
    run(steps) {
      database
        .transaction(() => {
          for (const step of steps) {
            pacer.tick(step.rows);
            const changes = statement(step.query.sql).run(...step.query.parameters).changes;
            if (changes === 0 && step.orInsert !== null) statement(step.orInsert.sql).run(...step.orInsert.parameters);
            if (changes > 0 && step.thenRun !== undefined) for (const then of step.thenRun) statement(then.sql).run(...then.parameters);
          }
        })
        .immediate();
    },
    close: async () => {
      database.close();
    },
  };
}

function postgresRunner(url: string, connectionTimeoutMs: number): { run: StepRunner; close(): Promise<void> } {
  // One connection is enough: batches are written one at a time.
  const pool = new (nodePostgres().Pool)({ connectionString: url, max: 1, connectionTimeoutMillis: connectionTimeoutMs });
  // A connection lost while idle must not kill the thread: the next batch reconnects (and is retried if it fails).
  pool.on('error', () => undefined);
  return {
    async run(steps) {
      const client = await pool.connect();
      let broken = false;
      // A connection that drops mid-transaction emits 'error' on the checked-out client, which (with no listener)
      // would be thrown as uncaught and kill the thread; the failed query below already rejects with it.
      const onError = (): void => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        for (const step of steps) {
          const result = await client.query(step.query.sql, step.query.parameters as unknown[]);
          const changes = result.rowCount ?? 0;
          if (changes === 0 && step.orInsert !== null) await client.query(step.orInsert.sql, step.orInsert.parameters as unknown[]);
          if (changes > 0 && step.thenRun !== undefined) for (const then of step.thenRun) await client.query(then.sql, then.parameters as unknown[]);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Linux keeps a nice value per thread: at nice 10 this thread gets about a tenth of a core the event loop also wants,
 * so writing spend never takes CPU from requests when one core serves both (a saturated single core served 40% of
 * the bare proxy's throughput with the thread at the process's priority, 58% at nice 10). The thread still runs
 * whenever the core has room, and at a tenth of a core under full load it keeps up with about 3,000 rows/s.
 */
function lowerPriority(nice: number): void {
  if (nice <= 0) return;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, nice);
  } catch {
    // Not Linux, or not allowed: the thread keeps the process's priority.
  }
}

const spec = (workerData as { spec: ConnectionSpec; nice?: number }).spec;
lowerPriority((workerData as { nice?: number }).nice ?? 0);
const runner = spec.dialect === 'sqlite' ? sqliteRunner(spec.path) : postgresRunner(spec.url, spec.connectionTimeoutMs);
/** Batches run strictly in order, one transaction at a time. */
let queue: Promise<void> = Promise.resolve();

async function write(message: SpendWriteMessage): Promise<void> {
  let reply: SpendWriteReply;
  try {
    await runner.run(stepsOf(spec.dialect, message.batch, message.writeLogs, message.changeIdPrefix));
    reply = { id: message.id, error: null };
  } catch (error) {
    reply = { id: message.id, error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
}

parentPort!.on('message', (message: SpendWriteMessage | 'close') => {
  if (message === 'close') {
    queue = queue.then(() => runner.close()).finally(() => parentPort!.close());
    return;
  }
  queue = queue.then(() => write(message));
});
