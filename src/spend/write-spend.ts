// Runs one spend batch in a single transaction: on the spend write thread (its own connection), or, without one,
// on the event loop (in-memory SQLite, which exists only on its one connection; callers without a thread).
import { CompiledQuery } from 'kysely';
import type { Database } from '../store/database.js';
import { stepsOf, type SpendBatch } from './spend-statements.js';
import type { SpendWriteThread } from './spend-write-thread.js';

export async function writeSpend(database: Database, batch: SpendBatch, writeLogs: boolean, thread: SpendWriteThread | null = null, changeIdPrefix = ''): Promise<void> {
  if (thread !== null) {
    // Statements are built there too: at 1,000 req/s, compiling a flush on the event loop held it ~100 µs per event.
    await thread.write(batch, writeLogs, changeIdPrefix);
    return;
  }
  const steps = stepsOf(database.dialect, batch, writeLogs, changeIdPrefix);
  const raw = database.sqlite;
  if (raw !== null) {
    // One synchronous transaction: the write lock is never held across an await (other workers wait less, and two
    // connections in one process cannot stall each other).
    raw.transaction(() => {
      for (const step of steps) {
        const changes = raw.prepare(step.query.sql).run(...step.query.parameters).changes;
        if (changes === 0 && step.orInsert !== null) raw.prepare(step.orInsert.sql).run(...step.orInsert.parameters);
        if (changes > 0 && step.thenRun !== undefined) for (const then of step.thenRun) raw.prepare(then.sql).run(...then.parameters);
      }
    }).immediate();
    return;
  }
  await database.db.transaction().execute(async (trx) => {
    for (const step of steps) {
      const result = await trx.executeQuery(CompiledQuery.raw(step.query.sql, [...step.query.parameters]));
      const changes = Number(result.numAffectedRows ?? 0);
      if (changes === 0 && step.orInsert !== null) await trx.executeQuery(CompiledQuery.raw(step.orInsert.sql, [...step.orInsert.parameters]));
      if (changes > 0 && step.thenRun !== undefined) for (const then of step.thenRun) await trx.executeQuery(CompiledQuery.raw(then.sql, [...then.parameters]));
    }
  });
}
