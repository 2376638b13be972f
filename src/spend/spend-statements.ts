// The statements that write one spend batch, compiled for a dialect: resets, increments (never read-modify-write),
// daily rows, logs, and change-log rows so other instances reload the entities whose spend moved. Pure: it runs on
// the SQLite write thread as well as on the event loop (Postgres, in-memory SQLite).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { encodeRow } from '../store/codec.js';
import type { Db, Dialect, Row } from '../store/database.js';
import { parseMemberId, TABLE_OF } from '../store/repository.js';
import { BUDGET_TABLE, CHANGE_LOG, DAILY_END_USER_SPEND, DAILY_TAG_SPEND, DAILY_TEAM_SPEND, DAILY_USER_SPEND, END_USER_TABLE, TEAM_MEMBERSHIP, type TableDef } from '../store/tables.js';
import type { DailyDelta, ResetTarget, SpendTarget } from './spend-buffer.js';
import type { SpendLogBlock } from './spend-log-block.js';
import { pushRowValues, spendLogInsertSql } from './spend-log-insert.js';

/** What one flush writes; a SpendBuffer, or its structured clone on the write thread. */
export interface SpendBatch {
  readonly logs: SpendLogBlock;
  readonly increments: Readonly<Record<SpendTarget, ReadonlyMap<string, number>>>;
  readonly daily: ReadonlyMap<string, DailyDelta>;
  readonly resets: ReadonlyMap<string, { target: ResetTarget; id: string; nextResetAt: Date }>;
}

/** Where the statements are compiled: the query builder and its dialect (value encoding differs). */
export interface StatementTarget {
  readonly db: Db;
  readonly dialect: Dialect;
}

/** SQL and its parameters: plain data, so a batch's statements can cross to the write thread. */
export interface Statement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * One statement; when `orInsert` is set and the statement touched no row, that insert runs instead; when `thenRun`
 * is set and the statement touched a row, those run after it (a guarded budget reset and what it resets).
 */
export interface Step {
  readonly query: Statement;
  readonly orInsert: Statement | null;
  readonly thenRun?: readonly Statement[];
  /** Rows the statement writes when it is more than one (a multi-row SpendLogs insert): the write thread paces by rows. */
  readonly rows?: number;
}

const DAILY_TABLES: Readonly<Record<DailyDelta['table'], TableDef>> = {
  LiteLLM_DailyUserSpend: DAILY_USER_SPEND,
  LiteLLM_DailyTeamSpend: DAILY_TEAM_SPEND,
  LiteLLM_DailyTagSpend: DAILY_TAG_SPEND,
  LiteLLM_DailyEndUserSpend: DAILY_END_USER_SPEND,
};
const CHUNK = 500;
const SQLITE_ROWS = 16;

function incrementSteps(database: StatementTarget, target: SpendTarget, increments: ReadonlyMap<string, number>, steps: Step[]): void {
  const { db, dialect } = database;
  if (target === 'team_member') {
    // As LiteLLM: an update, so a membership row that does not exist (any more) is simply not charged.
    for (const [entity, amount] of increments) {
      const member = parseMemberId(entity);
      if (member === null) continue;
      steps.push({ query: db.updateTable(TEAM_MEMBERSHIP.name).set({ spend: sql`${sql.ref('spend')} + ${amount}` }).where('team_id', '=', member.teamId).where('user_id', '=', member.userId).compile(), orInsert: null });
    }
    return;
  }
  const { table, id } = TABLE_OF[target];
  for (const [entity, amount] of increments) {
    if (target === 'end_user') {
      // LiteLLM creates the end-user row on first spend.
      const query = db.insertInto(END_USER_TABLE.name).values(encodeRow(END_USER_TABLE, { user_id: entity, spend: amount, blocked: false }, dialect))
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ spend: sql`${sql.ref(`${END_USER_TABLE.name}.spend`)} + ${amount}` })).compile();
      steps.push({ query, orInsert: null });
      continue;
    }
    steps.push({ query: db.updateTable(table.name).set({ spend: sql`${sql.ref('spend')} + ${amount}` }).where(id, '=', entity).compile(), orInsert: null });
  }
}

function dailyStep(database: StatementTarget, delta: DailyDelta): Step {
  const { db, dialect } = database;
  const table = DAILY_TABLES[delta.table];
  const match: Array<[string, string | null]> = [[delta.entityColumn, delta.entity], ['date', delta.date], ['api_key', delta.apiKey], ['model', delta.model], ['custom_llm_provider', delta.provider], ['mcp_namespaced_tool_name', null], ['endpoint', delta.endpoint]];
  const now = new Date();
  const add = (column: string, amount: number) => sql`${sql.ref(column)} + ${amount}`;
  let update = db.updateTable(table.name).set({
    prompt_tokens: add('prompt_tokens', delta.promptTokens), completion_tokens: add('completion_tokens', delta.completionTokens),
    cache_read_input_tokens: add('cache_read_input_tokens', delta.cacheReadTokens), cache_creation_input_tokens: add('cache_creation_input_tokens', delta.cacheCreationTokens),
    spend: add('spend', delta.spend), api_requests: add('api_requests', delta.requests), successful_requests: add('successful_requests', delta.successes),
    failed_requests: add('failed_requests', delta.failures), updated_at: encodeRow(table, { updated_at: now }, dialect).updated_at,
  });
  for (const [column, value] of match) update = value === null ? update.where(column, 'is', null) : update.where(column, '=', value);
  const row: Row = { id: randomUUID(), model_group: delta.modelGroup, prompt_tokens: delta.promptTokens, completion_tokens: delta.completionTokens,
    cache_read_input_tokens: delta.cacheReadTokens, cache_creation_input_tokens: delta.cacheCreationTokens, spend: delta.spend, api_requests: delta.requests,
    successful_requests: delta.successes, failed_requests: delta.failures, created_at: now, updated_at: now };
  for (const [column, value] of match) row[column] = value;
  return { query: update.compile(), orInsert: db.insertInto(table.name).values(encodeRow(table, row, dialect)).compile() };
}

/**
 * A budget row's period ended: as LiteLLM's reset job, move its `budget_reset_at` on and zero the spend of every
 * end user and team member linked to it. The guard on `budget_reset_at` lets only the first instance do it.
 */
function budgetResetStep(database: StatementTarget, budgetId: string, nextResetAt: Date): Step {
  const { db, dialect } = database;
  const now = encodeRow(BUDGET_TABLE, { budget_reset_at: new Date() }, dialect).budget_reset_at;
  const query = db.updateTable(BUDGET_TABLE.name).set(encodeRow(BUDGET_TABLE, { budget_reset_at: nextResetAt }, dialect)).where('budget_id', '=', budgetId)
    .where((eb) => eb.or([eb('budget_reset_at', 'is', null), eb('budget_reset_at', '<=', now)])).compile();
  const thenRun = [
    db.updateTable(TEAM_MEMBERSHIP.name).set({ spend: 0 }).where('budget_id', '=', budgetId).compile(),
    db.updateTable(END_USER_TABLE.name).set({ spend: 0 }).where('budget_id', '=', budgetId).compile(),
  ];
  return { query, orInsert: null, thenRun };
}

function resetSteps(database: StatementTarget, buffer: SpendBatch, steps: Step[]): void {
  const { db, dialect } = database;
  for (const { target, id, nextResetAt } of buffer.resets.values()) {
    if (target === 'budget') {
      steps.push(budgetResetStep(database, id, nextResetAt));
      continue;
    }
    const { table, id: column } = TABLE_OF[target];
    const now = encodeRow(table, { budget_reset_at: new Date() }, dialect).budget_reset_at;
    // Only the first instance to get here resets the row; the guard makes the reset idempotent.
    const query = db.updateTable(table.name).set(encodeRow(table, { spend: 0, budget_reset_at: nextResetAt }, dialect)).where(column, '=', id)
      .where((eb) => eb.or([eb('budget_reset_at', 'is', null), eb('budget_reset_at', '<=', now)])).compile();
    steps.push({ query, orInsert: null });
  }
}

/**
 * SpendLogs rows, read from the block's columns. Postgres gets CHUNK rows per statement (fewer round trips); SQLite
 * gets statements of SQLITE_ROWS rows (binding cost per statement, not per row), then one-row statements for the rest.
 */
function logSteps(dialect: Dialect, logs: SpendLogBlock, steps: Step[]): void {
  let index = 0;
  while (index < logs.length) {
    const left = logs.length - index;
    const rows = dialect === 'sqlite' ? (left >= SQLITE_ROWS ? SQLITE_ROWS : 1) : Math.min(CHUNK, left);
    const parameters: unknown[] = [];
    for (let row = 0; row < rows; row++) pushRowValues(logs, index + row, dialect, parameters);
    steps.push({ query: { sql: spendLogInsertSql(dialect, rows), parameters }, orInsert: null, rows });
    index += rows;
  }
}

/** Every spend flush's change-log ids start with this (then the writing process's own random part and `x`). */
export const SPEND_CHANGE_ID_PREFIX = 'spend';

/**
 * Everything the batch writes, in order: resets first (increments after a reset belong to the new period).
 * `changeIdPrefix` starts the ids of the change-log rows this batch writes: the writing instance's own poll skips
 * them (its memory already holds that spend), while every other instance reloads the entities from them.
 */
export function stepsOf(database: StatementTarget, buffer: SpendBatch, writeLogs: boolean, changeIdPrefix = ''): Step[] {
  const { db, dialect } = database;
  const steps: Step[] = [];
  resetSteps(database, buffer, steps);
  for (const target of Object.keys(buffer.increments) as SpendTarget[]) incrementSteps(database, target, buffer.increments[target], steps);
  for (const delta of buffer.daily.values()) steps.push(dailyStep(database, delta));
  const changed: Row[] = [];
  const now = new Date();
  for (const target of Object.keys(buffer.increments) as SpendTarget[]) {
    for (const id of buffer.increments[target].keys()) changed.push(encodeRow(CHANGE_LOG, { id: `${changeIdPrefix}${randomUUID()}`, kind: target, entity_id: id, created_at: now }, dialect));
  }
  for (let start = 0; start < changed.length; start += CHUNK) steps.push({ query: db.insertInto(CHANGE_LOG.name).values(changed.slice(start, start + CHUNK)).compile(), orInsert: null });
  if (writeLogs) logSteps(dialect, buffer.logs, steps);
  return steps;
}
