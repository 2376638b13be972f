// What a management handler gets: the parsed request, the store, and a way to publish changes to every instance.
import { GatewayError } from '../core/errors.js';
import type { GovernanceState } from '../auth/governance-state.js';
import { addDuration, isDuration } from '../limits/duration.js';
import { modelMaxBudgetProblem } from '../limits/model-budget.js';
import type { Row } from '../store/database.js';
import type { ChangeKind, Repository } from '../store/repository.js';

export interface ManagementContext {
  readonly body: Row;
  readonly query: URLSearchParams;
  readonly repo: Repository;
  readonly state: GovernanceState;
  /** Who is calling: 'master' or the caller key's token. */
  readonly caller: string;
  /** Records the change for other instances and reloads it here at once. */
  changed(kind: ChangeKind, id: string): Promise<void>;
}

export type ManagementRoute = (ctx: ManagementContext) => Promise<unknown>;

export function badRequest(message: string, param: string | null = null): GatewayError {
  return new GatewayError({ reason: 'invalid_request', status: 400, message, param });
}

export function notFoundError(message: string): GatewayError {
  return new GatewayError({ reason: 'not_found', status: 404, message });
}

export function stringField(body: Row, name: string): string | null {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

export function requireString(body: Row, name: string): string {
  const value = stringField(body, name);
  if (value === null) throw badRequest(`${name} is required`, name);
  return value;
}

export function stringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw badRequest(`${name} must be a list of strings`, name);
  return value;
}

/** Copies the fields a caller may set (and that are present) from the body. */
export function pick(body: Row, fields: readonly string[]): Row {
  const out: Row = {};
  for (const field of fields) if (body[field] !== undefined) out[field] = body[field];
  return out;
}

/** Dates as ISO strings, as LiteLLM's API answers them. */
export function present(row: Row): Row {
  const out: Row = {};
  for (const name in row) {
    const value = row[name];
    out[name] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

/** `budget_reset_at` for a body's `budget_duration` (validated), or nothing when it has none. */
export function budgetFields(body: Row, now: Date): Row {
  const duration = body.budget_duration;
  if (duration === undefined || duration === null) return {};
  if (typeof duration !== 'string' || !isDuration(duration)) throw badRequest('budget_duration must be a duration like 30s, 30m, 24h, 30d or 1mo', 'budget_duration');
  return { budget_reset_at: new Date(addDuration(now.getTime(), duration)) };
}

/** Rejects a `model_max_budget` that could not be enforced (LiteLLM validates it on write too). */
export function checkModelMaxBudget(body: Row): void {
  const problem = modelMaxBudgetProblem(body.model_max_budget);
  if (problem !== null) throw badRequest(problem, 'model_max_budget');
}
