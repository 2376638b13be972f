// Builds in-memory entities from LiteLLM's rows (keys, teams, users, end users with their budget rows).
import { ModelBudgets } from '../limits/model-budget.js';
import type { Row } from '../store/database.js';
import { memberId } from '../store/repository.js';
import { Entity, KeyEntity, TeamEntity, TeamMemberEntity, UserEntity } from './entities.js';
import { ModelAccess } from './model-access.js';

export type AccessGroups = ReadonlyMap<string, readonly string[]>;

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function time(value: unknown, fallback: number): number {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.getTime() : fallback;
}

function numberMap(value: unknown): Map<string, number> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const out = new Map<string, number>();
  for (const [model, limit] of Object.entries(value)) if (typeof limit === 'number') out.set(model, limit);
  return out.size === 0 ? null : out;
}

/** Fields shared by every table that carries a budget and limits; `budget` (a BudgetTable row) fills the gaps. */
function applyLimits(entity: Entity, row: Row, budget: Row | null): void {
  entity.spend = num(row.spend) ?? 0;
  entity.maxBudget = num(row.max_budget) ?? num(budget?.max_budget);
  entity.budgetDuration = str(row.budget_duration) ?? str(budget?.budget_duration);
  entity.budgetResetAt = entity.budgetDuration === null ? Infinity : time(row.budget_reset_at ?? budget?.budget_reset_at, Infinity);
  entity.rpmLimit = num(row.rpm_limit) ?? num(budget?.rpm_limit);
  entity.tpmLimit = num(row.tpm_limit) ?? num(budget?.tpm_limit);
  entity.parallelLimit = num(row.max_parallel_requests) ?? num(budget?.max_parallel_requests);
  entity.blocked = row.blocked === true;
  entity.budgetId = str(row.budget_id);
  entity.modelBudgets = ModelBudgets.compile(row.model_max_budget) ?? ModelBudgets.compile(budget?.model_max_budget);
}

export function keyFromRow(row: Row, budget: Row | null, groups: AccessGroups): KeyEntity {
  const key = new KeyEntity(String(row.token));
  applyLimits(key, row, budget);
  key.alias = str(row.key_alias);
  key.expiresAt = time(row.expires, Infinity);
  key.teamId = str(row.team_id);
  key.userId = str(row.user_id);
  key.models = ModelAccess.compile(strings(row.models), groups);
  const metadata = row.metadata !== null && typeof row.metadata === 'object' ? (row.metadata as Record<string, unknown>) : {};
  key.metadata = metadata;
  key.modelRpm = numberMap(metadata.model_rpm_limit);
  key.modelTpm = numberMap(metadata.model_tpm_limit);
  return key;
}

export function teamFromRow(row: Row, groups: AccessGroups): TeamEntity {
  const team = new TeamEntity(String(row.team_id));
  applyLimits(team, row, null);
  team.models = ModelAccess.compile(strings(row.models), groups);
  const metadata = row.metadata !== null && typeof row.metadata === 'object' ? (row.metadata as Record<string, unknown>) : {};
  team.memberBudgetId = str(metadata.team_member_budget_id);
  return team;
}

export function userFromRow(row: Row, groups: AccessGroups): UserEntity {
  const user = new UserEntity(String(row.user_id));
  applyLimits(user, row, null);
  user.models = ModelAccess.compile(strings(row.models), groups);
  user.role = str(row.user_role);
  return user;
}

export function endUserFromRow(row: Row, budget: Row | null): Entity {
  const endUser = new Entity('end_user', String(row.user_id));
  applyLimits(endUser, row, budget);
  return endUser;
}

/**
 * A membership's limits come from its own budget row, else from the team's default member budget (as LiteLLM's
 * `_check_team_member_budget` resolves them). `budget` is the row for `effectiveBudgetId(row, team)`.
 */
export function memberFromRow(row: Row, budget: Row | null): TeamMemberEntity {
  const teamId = String(row.team_id);
  const userId = String(row.user_id);
  const member = new TeamMemberEntity(memberId(teamId, userId), teamId, userId);
  applyLimits(member, { spend: row.spend }, budget);
  member.ownBudgetId = str(row.budget_id);
  member.budgetId = budget === null ? null : str(budget.budget_id);
  return member;
}

export function effectiveBudgetId(row: Row, team: TeamEntity | undefined): string | null {
  return str(row.budget_id) ?? team?.memberBudgetId ?? null;
}
