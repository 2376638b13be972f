// In-memory records of keys, teams, users and end users: budgets, limits and counters as plain fields (stable shapes).
import { ModelSpendWindow, type ModelBudget, type ModelBudgets } from '../limits/model-budget.js';
import { UsageWindow } from '../limits/usage-window.js';
import type { Row } from '../store/database.js';
import type { ModelAccess } from './model-access.js';

export type EntityKind = 'key' | 'team' | 'user' | 'end_user' | 'team_member';

/** What every budgeted, rate-limited principal has. */
export class Entity {
  readonly kind: EntityKind;
  readonly id: string;
  spend = 0;
  maxBudget: number | null = null;
  budgetDuration: string | null = null;
  /** ms since epoch; Infinity when the budget never resets. */
  budgetResetAt = Infinity;
  rpmLimit: number | null = null;
  tpmLimit: number | null = null;
  parallelLimit: number | null = null;
  blocked = false;
  models: ModelAccess | null = null;
  usage = new UsageWindow();
  /** Spend recorded here and not yet confirmed written, so a reload from the database does not lose it. */
  unflushedSpend = 0;
  /** The LiteLLM_BudgetTable row the limits came from (end users and team members reset through it). */
  budgetId: string | null = null;
  /** `model_max_budget`, compiled; null when none. */
  modelBudgets: ModelBudgets | null = null;
  /** Spend per budgeted model this period; kept across reloads. */
  modelSpend: Map<string, ModelSpendWindow> | null = null;

  constructor(kind: EntityKind, id: string) {
    this.kind = kind;
    this.id = id;
  }

  modelSpendWindow(budget: ModelBudget): ModelSpendWindow {
    const windows = (this.modelSpend ??= new Map());
    let window = windows.get(budget.windowKey);
    if (window === undefined) windows.set(budget.windowKey, (window = new ModelSpendWindow(`${this.kind}:${this.id}:${budget.windowKey}`, budget.duration)));
    return window;
  }
}

export class TeamEntity extends Entity {
  /** `metadata.team_member_budget_id`: the budget members without their own fall back to. */
  memberBudgetId: string | null = null;

  constructor(id: string) {
    super('team', id);
  }
}

/** A user's membership of a team (LiteLLM_TeamMembership): spend in the team, and the budget in the team. */
export class TeamMemberEntity extends Entity {
  readonly teamId: string;
  readonly userId: string;
  /** The membership's own `budget_id` (null when it falls back to the team's default). */
  ownBudgetId: string | null = null;
  /** The row it was built from: rebuilt when its budget or its team's default changes. */
  row: Row | null = null;

  /** How rate-limit messages name it. */
  readonly label: string;

  constructor(id: string, teamId: string, userId: string) {
    super('team_member', id);
    this.teamId = teamId;
    this.userId = userId;
    this.label = `${userId} in team ${teamId}`;
  }
}

export class KeyEntity extends Entity {
  alias: string | null = null;
  /** ms since epoch; Infinity when the key never expires. */
  expiresAt = Infinity;
  teamId: string | null = null;
  userId: string | null = null;
  /** Per-model limits (`model_rpm_limit` / `model_tpm_limit`), null when none. */
  modelRpm: ReadonlyMap<string, number> | null = null;
  modelTpm: ReadonlyMap<string, number> | null = null;
  modelUsage: Map<string, UsageWindow> | null = null;
  metadata: Record<string, unknown> = {};
  /** The master key's entity: never limited. */
  isMaster = false;
  /** Its user's membership of its team, as of `memberVersion` (GovernanceState.membershipVersion): no lookup per request. */
  member: TeamMemberEntity | null = null;
  memberVersion = -1;

  constructor(token: string) {
    super('key', token);
  }

  modelWindow(model: string): UsageWindow {
    const windows = (this.modelUsage ??= new Map());
    let window = windows.get(model);
    if (window === undefined) windows.set(model, (window = new UsageWindow()));
    return window;
  }
}

export class UserEntity extends Entity {
  role: string | null = null;

  constructor(id: string) {
    super('user', id);
  }
}
