// Per-model spend caps (LiteLLM's `model_max_budget`: `{"gpt-4o": {"budget_limit": 0.5, "time_period": "1d"}}`),
// compiled once per entity. Each (entity, budgeted model) keeps its spend for the current period in a window that
// admission reads from memory and the spend recorder charges after the response.
import { GatewayError } from '../core/errors.js';
import { isDuration, periodOf } from './duration.js';

/** One `model_max_budget` entry of one entity (compiled per entity: `window` caches that entity's spend window). */
export class ModelBudget {
  /** The model name as configured (the counter is keyed on it, whatever spelling the request used). */
  readonly model: string;
  /** USD per period. */
  readonly limit: number;
  readonly duration: string;
  /** `model:duration`: names this budget's window on its entity. */
  readonly windowKey: string;
  /** The entity's window for it, once used (the entity's `modelSpend` map is the truth; a reload re-links it). */
  window: ModelSpendWindow | null = null;

  constructor(model: string, limit: number, duration: string) {
    this.model = model;
    this.limit = limit;
    this.duration = duration;
    this.windowKey = `${model}:${duration}`;
  }
}

const RESOLVED_MAX = 1_000;

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** LiteLLM's BudgetConfig: `budget_limit` or `max_budget`, `time_period` or `budget_duration`. */
function budgetOf(model: string, value: unknown): ModelBudget | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const entry = value as Record<string, unknown>;
  const limit = finite(entry.budget_limit) ?? finite(entry.max_budget);
  const duration = typeof entry.time_period === 'string' ? entry.time_period : typeof entry.budget_duration === 'string' ? entry.budget_duration : null;
  // As in LiteLLM: an entry without a usable period cannot be keyed, and a negative or missing limit gates nothing.
  if (limit === null || limit < 0 || duration === null || !isDuration(duration)) return null;
  return new ModelBudget(model, limit, duration);
}

/** Why a `model_max_budget` value would not be enforceable, or null when it is fine (the management API's check). */
export function modelMaxBudgetProblem(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return 'model_max_budget must be an object of model name → {"budget_limit": number, "time_period": "1d"}';
  for (const [model, entry] of Object.entries(value)) {
    if (budgetOf(model, entry) === null) return `model_max_budget.${model} needs a non-negative budget_limit (or max_budget) and a time_period (or budget_duration) like 30s, 1h, 1d, 1mo`;
  }
  return null;
}

export class ModelBudgets {
  private readonly byModel: ReadonlyMap<string, ModelBudget>;
  /** The usual case, a budget on one model: resolved by comparing strings, no map probe. */
  private readonly only: ModelBudget | null;
  /** Requested model → its budget (or none): the prefix fallback is worked out once per model name (several budgets only). */
  private resolved: Map<string, ModelBudget | null> | null = null;

  private constructor(byModel: ReadonlyMap<string, ModelBudget>) {
    this.byModel = byModel;
    this.only = byModel.size === 1 ? byModel.values().next().value! : null;
  }

  /** Null when there is nothing enforceable (the common case: no per-model budgets). */
  static compile(value: unknown): ModelBudgets | null {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    const byModel = new Map<string, ModelBudget>();
    for (const [model, entry] of Object.entries(value)) {
      const budget = budgetOf(model, entry);
      if (budget !== null) byModel.set(model, budget);
    }
    return byModel.size === 0 ? null : new ModelBudgets(byModel);
  }

  /** The budget governing `model`: as requested, else without its `provider/` prefix (as LiteLLM resolves it). */
  resolve(model: string): ModelBudget | null {
    const only = this.only;
    if (only !== null) {
      if (model === only.model) return only;
      // `provider/<model>`: the last path segment equals the budgeted name (compared in place, nothing allocated).
      const slash = model.lastIndexOf('/');
      return slash >= 0 && model.length - slash - 1 === only.model.length && model.endsWith(only.model) ? only : null;
    }
    const resolved = (this.resolved ??= new Map());
    const hit = resolved.get(model);
    if (hit !== undefined) return hit;
    const slash = model.lastIndexOf('/');
    const budget = this.byModel.get(model) ?? (slash >= 0 ? this.byModel.get(model.slice(slash + 1)) : undefined) ?? null;
    if (resolved.size >= RESOLVED_MAX) resolved.clear();
    resolved.set(model, budget);
    return budget;
  }

  get size(): number {
    return this.byModel.size;
  }
}

/**
 * One entity's spend on one budgeted model in the current period: what was charged here and not yet shared
 * (`pending`) plus the last total read back from Redis (`shared`, which includes this instance's flushed charges).
 * Without Redis only `pending` moves.
 */
export class ModelSpendWindow {
  /** `scope:entity:model:duration`, the stable part of the shared counter's name. */
  readonly counter: string;
  readonly duration: string;
  periodStart = 0;
  periodEnd = 0;
  shared = 0;
  pending = 0;
  lastUsed = 0;
  /** Set while the sync holds it in its read list / its flush list. */
  tracked = false;
  queued = false;

  constructor(counter: string, duration: string) {
    this.counter = counter;
    this.duration = duration;
  }

  /** Starts the next period when this one is over (spend from the old one no longer counts). */
  roll(now: number): void {
    if (now < this.periodEnd && now >= this.periodStart) return;
    const [start, end] = periodOf(now, this.duration);
    this.periodStart = start;
    this.periodEnd = end;
    this.shared = 0;
    this.pending = 0;
  }

  spend(): number {
    return this.shared + this.pending;
  }

  charge(cost: number, now: number): void {
    this.roll(now);
    this.pending += cost;
  }
}

/** LiteLLM's message (its BudgetExceededError) behind the contract's "Budget has been exceeded!" opening. */
export function modelBudgetExceeded(subject: string, model: string, window: ModelSpendWindow, budget: ModelBudget): GatewayError {
  return new GatewayError({
    reason: 'budget_exceeded',
    status: 400,
    message: `Budget has been exceeded! ${subject}, exceeded budget for model=${model}. Current cost: ${window.spend()}, Max budget: ${budget.limit}`,
  });
}
