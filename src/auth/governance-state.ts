// The in-memory copy of keys, teams, users and end users that every request is decided from; kept fresh off the hot path.
import { logger } from '../logging/logger.js';
import type { Row } from '../store/database.js';
import type { ModelBudgetSync } from '../limits/model-budget-sync.js';
import { parseMemberId, type ChangeKind, type Repository } from '../store/repository.js';
import { BUDGET_TABLE, END_USER_TABLE, TEAM_MEMBERSHIP, TEAM_TABLE, USER_TABLE, VERIFICATION_TOKEN } from '../store/tables.js';
import { Entity, KeyEntity, TeamEntity, TeamMemberEntity, type UserEntity } from './entities.js';
import { effectiveBudgetId, endUserFromRow, keyFromRow, memberFromRow, teamFromRow, userFromRow, type AccessGroups } from './entity-from-row.js';

/** What the hot path needs of a key (see entity-from-row.ts); the rest is read by the management API on demand. */
const KEY_COLUMNS = [
  'token', 'key_alias', 'spend', 'expires', 'models', 'user_id', 'team_id', 'max_parallel_requests', 'metadata', 'blocked', 'tpm_limit',
  'rpm_limit', 'max_budget', 'budget_duration', 'budget_reset_at', 'budget_id', 'model_max_budget',
] as const;
const NEGATIVE_CACHE_MAX = 10_000;
const NEGATIVE_TTL_MS = 60_000;
/** Change-log rows are read again for this long, so a slow commit elsewhere is not missed (reloads are idempotent). */
const CHANGE_OVERLAP_MS = 10_000;

interface PendingReloads {
  /** Sequence number of the reload that started last. */
  latest: number;
  pending: number;
  promise: Promise<boolean> | null;
}

export class GovernanceState {
  readonly keys = new Map<string, KeyEntity>();
  readonly teams = new Map<string, TeamEntity>();
  readonly users = new Map<string, UserEntity>();
  readonly endUsers = new Map<string, Entity>();
  /** team_id → user_id → membership: two lookups on the hot path, no composite key built per request. */
  readonly memberships = new Map<string, Map<string, TeamMemberEntity>>();
  /** Moves when a membership is added or removed, so keys re-resolve the membership they cached. */
  membershipVersion = 0;
  /** Shares per-model spend across instances when Redis is configured; null counts per process. */
  modelBudgetSync: ModelBudgetSync | null = null;
  /** Tokens looked up and not found → when that was. Bounded; oldest dropped first. */
  private readonly missing = new Map<string, number>();
  private readonly pendingLookups = new Map<string, Promise<KeyEntity | null>>();
  private readonly appliedChanges = new Map<string, number>();
  /** Reloads in flight per `kind:id`; dropped when none is. */
  private readonly reloads = new Map<string, PendingReloads>();
  private lastChangeAt = new Date(0);
  private budgets = new Map<string, Row>();
  private readonly repository: Repository;
  private readonly groups: AccessGroups;
  /** Sum of all keys' spend plus local spend since: the global `litellm_settings.max_budget` is checked against it. */
  globalSpend = 0;
  /** False once a database call fails; true again after one succeeds (readiness reports it). */
  connected = false;
  /**
   * Change-log rows whose id starts with this are skipped by the poll. A data plane sets the prefix of its own spend
   * flushes' rows: the spend they announce is already in memory here, and reloading the key after every flush (4
   * times a second at 1,000 req/s) was database reads on the event loop for nothing; other instances' rows are still
   * applied. A control plane skips every instance's spend rows (SPEND_CHANGE_ID_PREFIX): it enforces no spend.
   */
  skipChangePrefix = '';

  constructor(repository: Repository, groups: AccessGroups) {
    this.repository = repository;
    this.groups = groups;
  }

  async loadAll(): Promise<void> {
    const repo = this.repository;
    this.lastChangeAt = new Date(Date.now() - CHANGE_OVERLAP_MS);
    const [budgets, keys, teams, users, endUsers, memberships] = await Promise.all([
      repo.all(BUDGET_TABLE), repo.columns(VERIFICATION_TOKEN, KEY_COLUMNS), repo.all(TEAM_TABLE), repo.all(USER_TABLE), repo.all(END_USER_TABLE), repo.all(TEAM_MEMBERSHIP),
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
    for (const row of memberships) this.setMember(this.memberFrom(row));
    this.connected = true;
  }

  private budgetOf(row: Row): Row | null {
    return typeof row.budget_id === 'string' ? (this.budgets.get(row.budget_id) ?? null) : null;
  }

  private memberFrom(row: Row): TeamMemberEntity {
    const budgetId = effectiveBudgetId(row, this.teams.get(String(row.team_id)));
    const member = memberFromRow(row, budgetId === null ? null : (this.budgets.get(budgetId) ?? null));
    member.row = row;
    return member;
  }

  /** The membership of a key's team and user, if there is one (hot path: two map lookups). */
  memberOf(teamId: string, userId: string): TeamMemberEntity | null {
    const members = this.memberships.get(teamId);
    return members === undefined ? null : (members.get(userId) ?? null);
  }

  /** The membership for a key (its team and user), cached on the key until memberships are added or removed. */
  memberOfKey(key: KeyEntity): TeamMemberEntity | null {
    key.member = key.teamId === null || key.userId === null ? null : this.memberOf(key.teamId, key.userId);
    key.memberVersion = this.membershipVersion;
    return key.member;
  }

  private setMember(next: TeamMemberEntity): void {
    let members = this.memberships.get(next.teamId);
    if (members === undefined) this.memberships.set(next.teamId, (members = new Map()));
    const previous = members.get(next.userId);
    if (previous !== undefined) updateInPlace(previous, next);
    else {
      members.set(next.userId, next);
      this.membershipVersion++;
    }
  }

  private deleteMember(teamId: string, userId: string): void {
    const members = this.memberships.get(teamId);
    if (members === undefined || !members.delete(userId)) return;
    this.membershipVersion++;
    if (members.size === 0) this.memberships.delete(teamId);
  }

  /**
   * Memberships whose limits come from a budget (or all of a team's) are rebuilt when that budget or team changes.
   * `fetchBudgets` loads budgets not in memory yet; the budget path passes false (the row it has is the truth).
   */
  private async rebuildMembers(match: (member: TeamMemberEntity) => boolean, fetchBudgets: boolean, teamId?: string): Promise<void> {
    const teams = teamId === undefined ? [...this.memberships.values()] : [this.memberships.get(teamId) ?? new Map<string, TeamMemberEntity>()];
    for (const members of teams) {
      for (const member of members.values()) {
        if (!match(member) || member.row === null) continue;
        const budgetId = effectiveBudgetId(member.row, this.teams.get(member.teamId));
        if (fetchBudgets && budgetId !== null && !this.budgets.has(budgetId)) await this.reload('budget', budgetId);
        this.setMember(this.memberFrom(member.row));
      }
    }
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

  /**
   * Re-reads one entity; keeps spend recorded here and not yet written. Returns whether it exists. Reloads of one
   * entity may overlap (change poll, pub/sub, the management API, a control process's announcement): only the one
   * that started last is applied, and the earlier ones resolve with it, so a read taken before a commit never
   * overwrites one taken after it.
   */
  reload(kind: ChangeKind, id: string): Promise<boolean> {
    const slot = `${kind}:${id}`;
    let entry = this.reloads.get(slot);
    if (entry === undefined) {
      entry = { latest: 0, pending: 0, promise: null };
      this.reloads.set(slot, entry);
    }
    const current = entry;
    const mine = ++current.latest;
    current.pending++;
    const promise = this.readAndApply(kind, id, current, mine).finally(() => {
      if (--current.pending === 0) this.reloads.delete(slot);
    });
    current.promise = promise;
    return promise;
  }

  private async readAndApply(kind: ChangeKind, id: string, entry: PendingReloads, mine: number): Promise<boolean> {
    const row = await this.repository.get(kind, id);
    this.connected = true;
    // A later read of this entity has started since: it saw at least as much as this one, so it is the one applied.
    if (entry.latest !== mine) return entry.promise!;
    if (kind === 'budget') {
      if (row === null) this.budgets.delete(id);
      else this.budgets.set(id, row);
      await this.rebuildMembers((member) => member.row !== null && effectiveBudgetId(member.row, this.teams.get(member.teamId)) === id, false);
      return row !== null;
    }
    if (kind === 'team_member') return this.reloadMember(id, row, entry, mine);
    const map: Map<string, Entity> = kind === 'key' ? this.keys : kind === 'team' ? this.teams : kind === 'user' ? this.users : this.endUsers;
    if (row === null) {
      map.delete(id);
      return false;
    }
    if (kind === 'key' || kind === 'end_user') {
      const budgetId = typeof row.budget_id === 'string' ? row.budget_id : null;
      if (budgetId !== null && !this.budgets.has(budgetId)) await this.reload('budget', budgetId);
      if (entry.latest !== mine) return entry.promise!;
    }
    const previous = map.get(id);
    const previousMemberBudget = previous instanceof TeamEntity ? previous.memberBudgetId : null;
    const next = kind === 'key' ? keyFromRow(row, this.budgetOf(row), this.groups) : kind === 'team' ? teamFromRow(row, this.groups) : kind === 'user' ? userFromRow(row, this.groups) : endUserFromRow(row, this.budgetOf(row));
    if (previous !== undefined && previous.constructor === next.constructor) updateInPlace(previous, next);
    else map.set(id, next);
    if (kind === 'key') this.missing.delete(id);
    // Teams reload after every spend flush: their members are rebuilt only when the default member budget moved.
    const defaultBudget = next instanceof TeamEntity ? next.memberBudgetId : null;
    if (kind === 'team' && (previous === undefined || defaultBudget !== previousMemberBudget)) {
      if (defaultBudget !== null && !this.budgets.has(defaultBudget)) await this.reload('budget', defaultBudget);
      await this.rebuildMembers(() => true, true, id);
    }
    return true;
  }

  private async reloadMember(id: string, row: Row | null, entry: PendingReloads, mine: number): Promise<boolean> {
    const parsed = parseMemberId(id);
    if (parsed === null) return false;
    if (row === null) {
      this.deleteMember(parsed.teamId, parsed.userId);
      return false;
    }
    const budgetId = effectiveBudgetId(row, this.teams.get(parsed.teamId));
    if (budgetId !== null && !this.budgets.has(budgetId)) await this.reload('budget', budgetId);
    if (entry.latest !== mine) return entry.promise!;
    this.setMember(this.memberFrom(row));
    return true;
  }

  /** One change, from the poll or from Redis pub/sub: applied once per change-log row, whichever brings it first. */
  async applyChange(logId: string | null, kind: ChangeKind, id: string): Promise<boolean> {
    if (logId !== null) {
      if (this.appliedChanges.has(logId)) return false;
      this.appliedChanges.set(logId, Date.now());
    }
    await this.reload(kind, id);
    return true;
  }

  /** A change this instance made and applied itself: the poll need not apply it again. */
  markApplied(logId: string): void {
    this.appliedChanges.set(logId, Date.now());
  }

  /** Applies changes other instances (and this one's management API) made since the last poll. */
  async pollChanges(): Promise<number> {
    const rows = await this.repository.changesSince(this.lastChangeAt, this.skipChangePrefix);
    this.connected = true;
    let applied = 0;
    const now = Date.now();
    for (const row of rows) {
      if (await this.applyChange(String(row.id), row.kind as ChangeKind, String(row.entity_id))) applied++;
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
  const modelSpend = previous.modelSpend;
  const modelUsage = previous instanceof KeyEntity ? previous.modelUsage : null;
  Object.assign(previous, next);
  previous.usage = usage;
  previous.unflushedSpend = unflushed;
  previous.modelSpend = modelSpend;
  previous.spend = next.spend + unflushed;
  if (previous instanceof KeyEntity) previous.modelUsage = modelUsage;
}
