// In-memory records of keys, teams, users and end users: budgets, limits and counters as plain fields (stable shapes).
import { UsageWindow } from '../limits/usage-window.js';
import type { ModelAccess } from './model-access.js';

export type EntityKind = 'key' | 'team' | 'user' | 'end_user';

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

  constructor(kind: EntityKind, id: string) {
    this.kind = kind;
    this.id = id;
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
