// The statements that write one spend batch, for a dialect: resets, increments (never read-modify-write), daily rows,
// logs, and change-log rows so other instances reload the entities whose spend moved. Pure: it runs on the spend write
// thread as well as on the event loop (in-memory SQLite).
import { randomUUID } from 'node:crypto';
import { encodeRow } from '../store/codec.js';
import type { Dialect, Row } from '../store/database.js';
import { parseMemberId, TABLE_OF } from '../store/repository.js';
import { BUDGET_TABLE, CHANGE_LOG, DAILY_END_USER_SPEND, DAILY_TAG_SPEND, DAILY_TEAM_SPEND, DAILY_USER_SPEND, END_USER_TABLE, TEAM_MEMBERSHIP, type TableDef } from '../store/tables.js';
import type { DailyDelta, ResetTarget, SpendTarget } from './spend-buffer.js';
import type { SpendLogBlock } from './spend-log-block.js';
import { pushRowValues, spendLogInsertSql } from './spend-log-insert.js';
import { addTo, assignments, insert, quote, update, type Clause, type Match, type Parameters, type Statement } from './sql-text.js';

/** What one flush writes; a SpendBuffer, or its structured clone on the write thread. */
export interface SpendBatch {
  readonly logs: SpendLogBlock;
  readonly increments: Readonly<Record<SpendTarget, ReadonlyMap<string, number>>>;
  readonly daily: ReadonlyMap<string, DailyDelta>;
  readonly resets: ReadonlyMap<string, { target: ResetTarget; id: string; nextResetAt: Date }>;
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

function incrementSteps(dialect: Dialect, target: SpendTarget, increments: ReadonlyMap<string, number>, steps: Step[]): void {
  if (target === 'team_member') {
    // As LiteLLM: an update, so a membership row that does not exist (any more) is simply not charged.
    for (const [entity, amount] of increments) {
      const member = parseMemberId(entity);
      if (member === null) continue;
      steps.push({ query: update(dialect, TEAM_MEMBERSHIP.name, spendPlus(amount), [['team_id', member.teamId], ['user_id', member.userId]]), orInsert: null });
    }
    return;
  }
  const { table, id } = TABLE_OF[target];
  for (const [entity, amount] of increments) {
    if (target === 'end_user') {
      // LiteLLM creates the end-user row on first spend.
      const row = encodeRow(END_USER_TABLE, { user_id: entity, spend: amount, blocked: false }, dialect);
      const onConflict = (parameters: Parameters): string => `on conflict (${quote('user_id')}) do update set ${addTo('spend', amount, END_USER_TABLE.name)(parameters)}`;
      steps.push({ query: insert(dialect, END_USER_TABLE.name, [row], onConflict), orInsert: null });
      continue;
    }
    steps.push({ query: update(dialect, table.name, spendPlus(amount), [[id, entity]]), orInsert: null });
  }
}

function spendPlus(amount: number): Clause<string[]> {
  const clause = addTo('spend', amount);
  return (parameters) => [clause(parameters)];
}

const DAILY_COUNTERS = [
  ['prompt_tokens', 'promptTokens'], ['completion_tokens', 'completionTokens'], ['cache_read_input_tokens', 'cacheReadTokens'],
  ['cache_creation_input_tokens', 'cacheCreationTokens'], ['spend', 'spend'], ['api_requests', 'requests'], ['successful_requests', 'successes'],
  ['failed_requests', 'failures'],
] as const satisfies ReadonlyArray<readonly [string, keyof DailyDelta]>;

function dailyStep(dialect: Dialect, delta: DailyDelta): Step {
  const table = DAILY_TABLES[delta.table];
  const match: Match[] = [[delta.entityColumn, delta.entity], ['date', delta.date], ['api_key', delta.apiKey], ['model', delta.model], ['custom_llm_provider', delta.provider], ['mcp_namespaced_tool_name', null], ['endpoint', delta.endpoint]];
  const now = new Date();
  const updatedAt = encodeRow(table, { updated_at: now }, dialect).updated_at;
  const set = (parameters: Parameters): string[] => [
    ...DAILY_COUNTERS.map(([column, field]) => addTo(column, delta[field] as number)(parameters)),
    `${quote('updated_at')} = ${parameters.add(updatedAt)}`,
  ];
  const row: Row = { id: randomUUID(), model_group: delta.modelGroup, prompt_tokens: delta.promptTokens, completion_tokens: delta.completionTokens,
    cache_read_input_tokens: delta.cacheReadTokens, cache_creation_input_tokens: delta.cacheCreationTokens, spend: delta.spend, api_requests: delta.requests,
    successful_requests: delta.successes, failed_requests: delta.failures, created_at: now, updated_at: now };
  for (const [column, value] of match) row[column] = value;
  return { query: update(dialect, table.name, set, match), orInsert: insert(dialect, table.name, [encodeRow(table, row, dialect)]) };
}

/** `("budget_reset_at" is null or "budget_reset_at" <= now)`: only the first instance past the reset time matches. */
function resetDue(now: unknown): Clause<string> {
  return (parameters) => `(${quote('budget_reset_at')} is null or ${quote('budget_reset_at')} <= ${parameters.add(now)})`;
}

/**
 * A budget row's period ended: as LiteLLM's reset job, move its `budget_reset_at` on and zero the spend of every
 * end user and team member linked to it. The guard on `budget_reset_at` lets only the first instance do it.
 */
function budgetResetStep(dialect: Dialect, budgetId: string, nextResetAt: Date): Step {
  const now = encodeRow(BUDGET_TABLE, { budget_reset_at: new Date() }, dialect).budget_reset_at;
  const query = update(dialect, BUDGET_TABLE.name, assignments(encodeRow(BUDGET_TABLE, { budget_reset_at: nextResetAt }, dialect)), [['budget_id', budgetId]], resetDue(now));
  const thenRun = [
    update(dialect, TEAM_MEMBERSHIP.name, assignments({ spend: 0 }), [['budget_id', budgetId]]),
    update(dialect, END_USER_TABLE.name, assignments({ spend: 0 }), [['budget_id', budgetId]]),
  ];
  return { query, orInsert: null, thenRun };
}

function resetSteps(dialect: Dialect, buffer: SpendBatch, steps: Step[]): void {
  for (const { target, id, nextResetAt } of buffer.resets.values()) {
    if (target === 'budget') {
      steps.push(budgetResetStep(dialect, id, nextResetAt));
      continue;
    }
    const { table, id: column } = TABLE_OF[target];
    const now = encodeRow(table, { budget_reset_at: new Date() }, dialect).budget_reset_at;
    // Only the first instance to get here resets the row; the guard makes the reset idempotent.
    const query = update(dialect, table.name, assignments(encodeRow(table, { spend: 0, budget_reset_at: nextResetAt }, dialect)), [[column, id]], resetDue(now));
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
export function stepsOf(dialect: Dialect, buffer: SpendBatch, writeLogs: boolean, changeIdPrefix = ''): Step[] {
  const steps: Step[] = [];
  resetSteps(dialect, buffer, steps);
  for (const target of Object.keys(buffer.increments) as SpendTarget[]) incrementSteps(dialect, target, buffer.increments[target], steps);
  for (const delta of buffer.daily.values()) steps.push(dailyStep(dialect, delta));
  const changed: Row[] = [];
  const now = new Date();
  for (const target of Object.keys(buffer.increments) as SpendTarget[]) {
    for (const id of buffer.increments[target].keys()) changed.push(encodeRow(CHANGE_LOG, { id: `${changeIdPrefix}${randomUUID()}`, kind: target, entity_id: id, created_at: now }, dialect));
  }
  for (let start = 0; start < changed.length; start += CHUNK) steps.push({ query: insert(dialect, CHANGE_LOG.name, changed.slice(start, start + CHUNK)), orInsert: null });
  if (writeLogs) logSteps(dialect, buffer.logs, steps);
  return steps;
}
