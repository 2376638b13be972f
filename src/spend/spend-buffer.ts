// Accumulates spend between flushes: per-entity increments, daily aggregates (merged by key), budget resets, and the
// batch's SpendLogs rows (the batch writer queues rows in a SpendLogQueue and hands one block to each batch).
import type { SpendEvent } from './spend-event.js';
import { appendEvent, emptyBlock, type SpendLogBlock } from './spend-log-block.js';
import type { SpendBatch } from './spend-statements.js';

/** `team_member` ids are `memberId(team_id, user_id)` (LiteLLM_TeamMembership's key has two columns). */
export type SpendTarget = 'key' | 'team' | 'user' | 'end_user' | 'team_member';
/** What a budget period resets: an entity's own row, or (`budget`) every end user and team member linked to a budget row. */
export type ResetTarget = Exclude<SpendTarget, 'team_member'> | 'budget';

export interface DailyDelta {
  table: 'LiteLLM_DailyUserSpend' | 'LiteLLM_DailyTeamSpend' | 'LiteLLM_DailyTagSpend' | 'LiteLLM_DailyEndUserSpend';
  entityColumn: 'user_id' | 'team_id' | 'tag' | 'end_user_id';
  entity: string | null;
  date: string;
  apiKey: string;
  model: string | null;
  modelGroup: string | null;
  provider: string | null;
  endpoint: string | null;
  promptTokens: number;
  completionTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  spend: number;
  requests: number;
  successes: number;
  failures: number;
}

export class SpendBuffer {
  /** SpendLogs rows, as columns (see spend-log-block.ts for why). */
  logs: SpendLogBlock = emptyBlock();
  readonly increments: Record<SpendTarget, Map<string, number>> = { key: new Map(), team: new Map(), user: new Map(), end_user: new Map(), team_member: new Map() };
  readonly daily = new Map<string, DailyDelta>();
  /** Budget periods that ended: entity → new reset time. */
  readonly resets = new Map<string, { target: ResetTarget; id: string; nextResetAt: Date }>();

  isEmpty(): boolean {
    return this.logs.length === 0 && this.daily.size === 0 && this.resets.size === 0 && Object.values(this.increments).every((map) => map.size === 0);
  }

  increment(target: SpendTarget, id: string | null, amount: number): void {
    if (id === null || amount === 0) return;
    const map = this.increments[target];
    map.set(id, (map.get(id) ?? 0) + amount);
  }

  /** One finished request: its log row (when kept), the entities' increments and the daily aggregates it moves. */
  record(event: SpendEvent, keepLog: boolean, keyId: string, teamId: string | null, userId: string | null, endUserId: string | null, memberId: string | null = null): void {
    if (keepLog) appendEvent(this.logs, event);
    this.increment('key', keyId, event.spend);
    this.increment('team', teamId, event.spend);
    this.increment('user', userId, event.spend);
    this.increment('end_user', endUserId, event.spend);
    this.increment('team_member', memberId, event.spend);
    const date = this.dayOf(event.startTime);
    this.addDaily(event, date, 'LiteLLM_DailyUserSpend', 'user_id', userId);
    if (teamId !== null) this.addDaily(event, date, 'LiteLLM_DailyTeamSpend', 'team_id', teamId);
    if (endUserId !== null) this.addDaily(event, date, 'LiteLLM_DailyEndUserSpend', 'end_user_id', endUserId);
    for (const tag of event.tags) this.addDaily(event, date, 'LiteLLM_DailyTagSpend', 'tag', tag);
  }

  private dayStart = 0;
  private dayEnd = -1;
  private day = '';

  /** The UTC date (YYYY-MM-DD) of an epoch-ms time; formatted once per day, not per event. */
  private dayOf(ms: number): string {
    if (ms < this.dayStart || ms >= this.dayEnd) {
      this.dayStart = ms - (ms % 86_400_000);
      this.dayEnd = this.dayStart + 86_400_000;
      this.day = new Date(this.dayStart).toISOString().slice(0, 10);
    }
    return this.day;
  }

  /** The aggregate each table's last event went to: consecutive events of one key, model and entity reuse it. */
  private readonly lastDaily = new Map<DailyDelta['table'], DailyDelta>();

  private addDaily(event: SpendEvent, date: string, table: DailyDelta['table'], entityColumn: DailyDelta['entityColumn'], entity: string | null): void {
    let delta = this.lastDaily.get(table);
    // Building and hashing the ~200-character id below was most of record()'s cost; a match on the same fields
    // is the same aggregate.
    if (delta === undefined || delta.entity !== entity || delta.date !== date || delta.apiKey !== event.apiKey || delta.model !== event.model || delta.provider !== event.provider || delta.endpoint !== event.endpoint) {
      const id = `${table}\u0000${entity}\u0000${date}\u0000${event.apiKey}\u0000${event.model}\u0000${event.provider}\u0000${event.endpoint}`;
      delta = this.daily.get(id);
      if (delta === undefined) {
        delta = {
          table, entityColumn, entity, date, apiKey: event.apiKey, model: event.model, modelGroup: event.modelGroup, provider: event.provider, endpoint: event.endpoint,
          promptTokens: 0, completionTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0, spend: 0, requests: 0, successes: 0, failures: 0,
        };
        this.daily.set(id, delta);
      }
      this.lastDaily.set(table, delta);
    }
    delta.promptTokens += event.promptTokens;
    delta.completionTokens += event.completionTokens;
    delta.cacheReadTokens += event.cacheReadTokens;
    delta.cacheCreationTokens += event.cacheCreationTokens;
    delta.spend += event.spend;
    delta.requests++;
    if (event.success) delta.successes++;
    else delta.failures++;
  }

  /**
   * Adds a failed batch's increments, daily aggregates and resets to this buffer's (they are sums: nothing is lost or
   * counted twice). Its log rows go back to the writer's SpendLogQueue, which bounds them.
   */
  mergeTotals(failed: SpendBatch): void {
    for (const target of Object.keys(failed.increments) as SpendTarget[]) for (const [id, amount] of failed.increments[target]) this.increment(target, id, amount);
    for (const [id, delta] of failed.daily) {
      const mine = this.daily.get(id);
      if (mine === undefined) this.daily.set(id, { ...delta });
      else {
        mine.promptTokens += delta.promptTokens;
        mine.completionTokens += delta.completionTokens;
        mine.cacheReadTokens += delta.cacheReadTokens;
        mine.cacheCreationTokens += delta.cacheCreationTokens;
        mine.spend += delta.spend;
        mine.requests += delta.requests;
        mine.successes += delta.successes;
        mine.failures += delta.failures;
      }
    }
    for (const [id, reset] of failed.resets) if (!this.resets.has(id)) this.resets.set(id, reset);
  }
}
