// The in-memory copy of keys, teams, users and end users that every request is decided from; kept fresh off the hot path.
import { logger } from '../logging/logger.js';
import type { Row } from '../store/database.js';
import type { ChangeKind, Repository } from '../store/repository.js';
import { BUDGET_TABLE, END_USER_TABLE, TEAM_TABLE, USER_TABLE, VERIFICATION_TOKEN } from '../store/tables.js';
import { Entity, KeyEntity, type UserEntity } from './entities.js';
import { endUserFromRow, keyFromRow, teamFromRow, userFromRow, type AccessGroups } from './entity-from-row.js';

/** What the hot path needs of a key (see entity-from-row.ts); the rest is read by the management API on demand. */
const KEY_COLUMNS = [
  'token', 'key_alias', 'spend', 'expires', 'models', 'user_id', 'team_id', 'max_parallel_requests', 'metadata', 'blocked', 'tpm_limit',
  'rpm_limit', 'max_budget', 'budget_duration', 'budget_reset_at', 'budget_id',
] as const;
const NEGATIVE_CACHE_MAX = 10_000;
const NEGATIVE_TTL_MS = 60_000;
/** Change-log rows are read again for this long, so a slow commit elsewhere is not missed (reloads are idempotent). */
const CHANGE_OVERLAP_MS = 10_000;

export class GovernanceState {
  readonly keys = new Map<string, KeyEntity>();
  readonly teams = new Map<string, Entity>();
  readonly users = new Map<string, UserEntity>();
  readonly endUsers = new Map<string, Entity>();
  /** Tokens looked up and not found → when that was. Bounded; oldest dropped first. */
  private readonly missing = new Map<string, number>();
  private readonly pendingLookups = new Map<string, Promise<KeyEntity | null>>();
  private readonly appliedChanges = new Map<string, number>();
  private lastChangeAt = new Date(0);
  private budgets = new Map<string, Row>();
  private readonly repository: Repository;
  private readonly groups: AccessGroups;
  /** Sum of all keys' spend plus local spend since: the global `litellm_settings.max_budget` is checked against it. */
  globalSpend = 0;
  /** False once a database call fails; true again after one succeeds (readiness reports it). */
  connected = false;

  constructor(repository: Repository, groups: AccessGroups) {
    this.repository = repository;
    this.groups = groups;
  }

  async loadAll(): Promise<void> {
    const repo = this.repository;
    this.lastChangeAt = new Date(Date.now() - CHANGE_OVERLAP_MS);
    const [budgets, keys, teams, users, endUsers] = await Promise.all([
      repo.all(BUDGET_TABLE), repo.columns(VERIFICATION_TOKEN, KEY_COLUMNS), repo.all(TEAM_TABLE), repo.all(USER_TABLE), repo.all(END_USER_TABLE),
    ]);
    this.budgets = new Map(budgets.map((row) => [String(row.budget_id), row]));
    let total = 0;
    for (const row of keys) {
      const key = keyFromRow(row, this.budgetOf(row), this.groups);
      this.keys.set(key.id, key);
      total += key.spend;
    }
    this.globalSpend = total;
    for (const row of teams) this.teams.set(String(row.team_id), teamFromRow(row, this.groups));
    for (const row of users) this.users.set(String(row.user_id), userFromRow(row, this.groups));
    for (const row of endUsers) this.endUsers.set(String(row.user_id), endUserFromRow(row, this.budgetOf(row)));
    this.connected = true;
  }

  private budgetOf(row: Row): Row | null {
    return typeof row.budget_id === 'string' ? (this.budgets.get(row.budget_id) ?? null) : null;
  }

  /** Whether a token was recently looked up and not found. */
  isKnownMissing(token: string, now: number): boolean {
    const at = this.missing.get(token);
    if (at === undefined) return false;
    if (now - at < NEGATIVE_TTL_MS) return true;
    this.missing.delete(token);
    return false;
  }

  /**
   * Looks an unknown token up once (concurrent requests share the lookup); the result lands in the cache or the
   * negative cache. Resolves to the key, or null when it does not exist or the database cannot say.
   */
  lookUp(token: string): Promise<KeyEntity | null> {
    const pending = this.pendingLookups.get(token);
    if (pending !== undefined) return pending;
    const lookup = this.reload('key', token)
      .then((found) => {
        if (found) return this.keys.get(token) ?? null;
        if (this.missing.size >= NEGATIVE_CACHE_MAX) this.missing.delete(this.missing.keys().next().value!);
        this.missing.set(token, Date.now());
        return null;
      })
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'key lookup failed');
        return null;
      })
      .finally(() => this.pendingLookups.delete(token));
    this.pendingLookups.set(token, lookup);
    return lookup;
  }

  /** Re-reads one entity; keeps spend recorded here and not yet written. Returns whether it exists. */
  async reload(kind: ChangeKind, id: string): Promise<boolean> {
    const row = await this.repository.get(kind, id);
    this.connected = true;
    if (kind === 'budget') {
      if (row === null) this.budgets.delete(id);
      else this.budgets.set(id, row);
      return row !== null;
    }
    const map: Map<string, Entity> = kind === 'key' ? this.keys : kind === 'team' ? this.teams : kind === 'user' ? this.users : this.endUsers;
    const previous = map.get(id);
    if (row === null) {
      map.delete(id);
      return false;
    }
    if (kind === 'key' || kind === 'end_user') {
      const budgetId = typeof row.budget_id === 'string' ? row.budget_id : null;
      if (budgetId !== null && !this.budgets.has(budgetId)) await this.reload('budget', budgetId);
    }
    const next = kind === 'key' ? keyFromRow(row, this.budgetOf(row), this.groups) : kind === 'team' ? teamFromRow(row, this.groups) : kind === 'user' ? userFromRow(row, this.groups) : endUserFromRow(row, this.budgetOf(row));
    if (previous !== undefined && previous.constructor === next.constructor) updateInPlace(previous, next);
    else map.set(id, next);
    if (kind === 'key') this.missing.delete(id);
    return true;
  }

  /** Applies changes other instances (and this one's management API) made since the last poll. */
  async pollChanges(): Promise<number> {
    const rows = await this.repository.changesSince(this.lastChangeAt);
    this.connected = true;
    let applied = 0;
    const now = Date.now();
    for (const row of rows) {
      const id = String(row.id);
      if (this.appliedChanges.has(id)) continue;
      this.appliedChanges.set(id, now);
      await this.reload(row.kind as ChangeKind, String(row.entity_id));
      applied++;
    }
    this.lastChangeAt = new Date(now - CHANGE_OVERLAP_MS);
    for (const [id, at] of this.appliedChanges) if (now - at > CHANGE_OVERLAP_MS * 3) this.appliedChanges.delete(id);
    return applied;
  }
}

/**
 * Requests in flight hold the entity object, so a reload changes it in place: new settings from the row, while
 * counters and unflushed spend stay (the database's spend plus what is still queued here is the truth).
 */
function updateInPlace(previous: Entity, next: Entity): void {
  const usage = previous.usage;
  const unflushed = previous.unflushedSpend;
  const modelUsage = previous instanceof KeyEntity ? previous.modelUsage : null;
  Object.assign(previous, next);
  previous.usage = usage;
  previous.unflushedSpend = unflushed;
  previous.spend = next.spend + unflushed;
  if (previous instanceof KeyEntity) previous.modelUsage = modelUsage;
}
