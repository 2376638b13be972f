// One request's admission under a virtual key: model access, budgets and limits of key, team, user and end user.
import type { IncomingHttpHeaders } from 'node:http';
import type { Deployment } from '../config/deployment.js';
import { GatewayError } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import { numberText } from '../core/number-text.js';
import type { Usage } from '../core/usage.js';
import type { AccessGrant } from '../dataplane/access-control.js';
import type { RequestOutcome } from '../dataplane/request-outcome.js';
import { budgetExceeded, checkBudget, checkEntityLimits, checkWindow, rollBudget } from '../limits/check-limits.js';
import { modelBudgetExceeded, type ModelBudget, type ModelSpendWindow } from '../limits/model-budget.js';
import type { LimitScope, RedisLimiter, Reservation } from '../limits/redis-limiter.js';
import type { UsageWindow } from '../limits/usage-window.js';
import { requestCost } from '../spend/cost.js';
import type { Entity, KeyEntity, TeamMemberEntity, UserEntity } from './entities.js';
import type { GovernanceState } from './governance-state.js';
import type { ModelAccess } from './model-access.js';

/** Told when an entity's budget period ended here, so the database row is reset too. */
export interface BudgetResetSink {
  budgetReset(entity: Entity): void;
}

function accessDenied(scope: 'key' | 'team' | 'user', access: ModelAccess, model: string): GatewayError {
  return new GatewayError({
    reason: 'model_access_denied',
    status: 401,
    type: scope === 'key' ? 'key_model_access_denied' : `${scope}_model_access_denied`,
    param: 'model',
    message: `${scope} not allowed to access model. This ${scope} can only access models=${JSON.stringify(access.names)}. Tried to access ${model}`,
  });
}

/** How LiteLLM's model-budget errors name the entity. */
function budgetSubject(entity: Entity): string {
  if (entity.kind === 'key') return `LiteLLM Virtual Key: ${entity.id}, key_alias: ${(entity as KeyEntity).alias ?? 'None'}`;
  return `LiteLLM ${entity.kind === 'team' ? 'Team' : entity.kind === 'user' ? 'User' : 'End User'}: ${entity.id}`;
}

function endUserOf(body: JsonObject, headers: IncomingHttpHeaders): string | null {
  const header = headers['x-litellm-end-user-id'];
  if (typeof header === 'string' && header !== '') return header;
  return typeof body.user === 'string' && body.user !== '' ? body.user : null;
}

export class KeyGrant implements AccessGrant {
  readonly key: KeyEntity;
  readonly state: GovernanceState;
  readonly globalMaxBudget: number | null;
  private readonly resets: BudgetResetSink;
  team: Entity | null = null;
  user: UserEntity | null = null;
  endUser: Entity | null = null;
  /** The key's user's membership of the key's team (LiteLLM_TeamMembership), when there is one. */
  member: TeamMemberEntity | null = null;
  /** Per-model budget windows this request is charged to after the response (`model_max_budget`). */
  keyModelSpend: ModelSpendWindow | null = null;
  teamModelSpend: ModelSpendWindow | null = null;
  userModelSpend: ModelSpendWindow | null = null;
  endUserModelSpend: ModelSpendWindow | null = null;
  endUserId: string | null = null;
  model: string | null = null;
  modelWindow: UsageWindow | null = null;
  admitted = false;
  /** USD, once computed (for the header, then reused for spend); -1 until then. */
  cost = -1;
  readonly limiter: RedisLimiter | null;
  /** What was reserved in Redis, released after the response. */
  reservation: Reservation | null = null;

  constructor(key: KeyEntity, state: GovernanceState, globalMaxBudget: number | null, resets: BudgetResetSink, limiter: RedisLimiter | null) {
    this.key = key;
    this.state = state;
    this.globalMaxBudget = globalMaxBudget;
    this.resets = resets;
    this.limiter = limiter;
  }

  /** `model` null: a call that names none (files, batches): everything but model access applies. */
  admit(model: string | null, body: JsonObject, headers: IncomingHttpHeaders): GatewayError | null | Promise<GatewayError | null> {
    const key = this.key;
    const state = this.state;
    this.model = model;
    this.team = key.teamId === null ? null : (state.teams.get(key.teamId) ?? null);
    this.user = key.userId === null ? null : (state.users.get(key.userId) ?? null);
    this.member = key.teamId === null || key.userId === null ? null : key.memberVersion === state.membershipVersion ? key.member : state.memberOfKey(key);
    this.endUserId = endUserOf(body, headers);
    this.endUser = this.endUserId === null ? null : (state.endUsers.get(this.endUserId) ?? null);
    const denied = this.checkAccess(model);
    if (denied !== null) return denied;
    const now = Date.now();
    const overBudget = this.checkBudgets(now) ?? (model === null ? null : this.checkModelBudgets(model, now));
    if (overBudget !== null) return overBudget;
    if (this.limiter !== null && !key.isMaster) {
      const scopes = this.sharedScopes(model);
      if (scopes.length > 0) return this.admitShared(this.limiter, scopes, model, now);
    }
    const limited = this.checkLimits(model, now);
    if (limited !== null) return limited;
    this.countAll();
    return null;
  }

  /** Exact across workers and instances: Redis decides; if it cannot answer, the local counters do. */
  private async admitShared(limiter: RedisLimiter, scopes: LimitScope[], model: string | null, now: number): Promise<GatewayError | null> {
    const outcome = await limiter.reserve(scopes, now);
    if (outcome === undefined) {
      const limited = this.checkLimits(model, Date.now());
      if (limited !== null) return limited;
    } else {
      if (outcome.error !== null) return outcome.error;
      this.reservation = outcome.reservation;
      if (model !== null && this.modelWindow === null && (this.key.modelRpm?.has(model) === true || this.key.modelTpm?.has(model) === true)) this.modelWindow = this.key.modelWindow(model);
    }
    this.countAll();
    return null;
  }

  private sharedScopes(model: string | null): LimitScope[] {
    const scopes: LimitScope[] = [];
    const add = (name: string, entity: Entity | null): void => {
      if (entity !== null && (entity.rpmLimit !== null || entity.tpmLimit !== null || entity.parallelLimit !== null)) {
        scopes.push({ name, id: entity.id, rpm: entity.rpmLimit, tpm: entity.tpmLimit, parallel: entity.parallelLimit });
      }
    };
    add('api_key', this.key);
    const rpm = model === null ? null : (this.key.modelRpm?.get(model) ?? null);
    const tpm = model === null ? null : (this.key.modelTpm?.get(model) ?? null);
    if (rpm !== null || tpm !== null) scopes.push({ name: 'model_per_key', id: `${this.key.id}:${model}`, rpm, tpm, parallel: null });
    add('team', this.team);
    add('user', this.user);
    add('end_user', this.endUser);
    add('team_member', this.member);
    return scopes;
  }

  private countAll(): void {
    const key = this.key;
    this.count(key);
    if (this.team !== null) this.count(this.team);
    if (this.user !== null) this.count(this.user);
    if (this.endUser !== null) this.count(this.endUser);
    if (this.member !== null) this.count(this.member);
    if (this.modelWindow !== null) {
      this.modelWindow.requests++;
      this.modelWindow.inFlight++;
    }
    this.admitted = true;
  }

  private checkAccess(model: string | null): GatewayError | null {
    const key = this.key;
    const team = this.team;
    if (team !== null && team.blocked) return new GatewayError({ reason: 'key_blocked', status: 401, message: `Team=${team.id} is blocked. Update via /team/unblock if you're admin.` });
    if (this.endUser !== null && this.endUser.blocked) return new GatewayError({ reason: 'auth', status: 401, message: `Access denied: end user=${this.endUserId} is blocked. Update via /customer/unblock if you're admin.` });
    if (model === null) return null;
    const keyModels = key.models;
    if (keyModels !== null && !(keyModels.inheritsTeam && team !== null) && !keyModels.allows(model)) return accessDenied('key', keyModels, model);
    if (team !== null && team.models !== null && !team.models.allows(model)) return accessDenied('team', team.models, model);
    if (team === null && this.user !== null && this.user.models !== null && !this.user.models.allows(model)) return accessDenied('user', this.user.models, model);
    return null;
  }

  private checkBudgets(now: number): GatewayError | null {
    const exceeded = this.budgetOf(this.key, now) ?? this.budgetOf(this.team, now) ?? this.memberBudget(now) ?? this.budgetOf(this.user, now) ?? this.budgetOf(this.endUser, now);
    if (exceeded !== null) return exceeded;
    const globalMax = this.globalMaxBudget;
    if (globalMax !== null && this.state.globalSpend >= globalMax) return budgetExceeded(this.state.globalSpend, globalMax);
    return null;
  }

  private budgetOf(entity: Entity | null, now: number): GatewayError | null {
    if (entity === null || entity.maxBudget === null) return null;
    if (rollBudget(entity, now)) this.resets.budgetReset(entity);
    return checkBudget(entity);
  }

  /** LiteLLM's `_check_team_member_budget`: the user's budget within the team (`max_budget_in_team`). */
  private memberBudget(now: number): GatewayError | null {
    const member = this.member;
    if (member === null || member.maxBudget === null) return null;
    if (rollBudget(member, now)) this.resets.budgetReset(member);
    if (member.spend < member.maxBudget) return null;
    return new GatewayError({
      reason: 'budget_exceeded',
      status: 400,
      message: `Budget has been exceeded! User=${member.userId} in Team=${member.teamId} Current cost: ${member.spend}, Max budget: ${member.maxBudget}`,
    });
  }

  /**
   * `model_max_budget` of key, team, user and end user, from memory (synced through Redis when configured). As in
   * LiteLLM, a key's own budget for the model takes the place of its team's.
   */
  private checkModelBudgets(model: string, now: number): GatewayError | null {
    const keyGate = this.modelGate(this.key, model, now);
    if (keyGate instanceof GatewayError) return keyGate;
    this.keyModelSpend = keyGate;
    if (keyGate === null) {
      const teamGate = this.modelGate(this.team, model, now);
      if (teamGate instanceof GatewayError) return teamGate;
      this.teamModelSpend = teamGate;
    }
    const userGate = this.modelGate(this.user, model, now);
    if (userGate instanceof GatewayError) return userGate;
    this.userModelSpend = userGate;
    const endUserGate = this.modelGate(this.endUser, model, now);
    if (endUserGate instanceof GatewayError) return endUserGate;
    this.endUserModelSpend = endUserGate;
    return null;
  }

  /** The window to charge, the error when it is spent, or null when the entity has no budget for the model. */
  private modelGate(entity: Entity | null, model: string, now: number): ModelSpendWindow | GatewayError | null {
    if (entity === null || entity.modelBudgets === null) return null;
    const budget = entity.modelBudgets.resolve(model);
    if (budget === null) return null;
    const window = this.openWindow(entity, budget, now);
    return window.spend() >= budget.limit ? modelBudgetExceeded(budgetSubject(entity), model, window, budget) : window;
  }

  private openWindow(entity: Entity, budget: ModelBudget, now: number): ModelSpendWindow {
    let window = budget.window;
    if (window === null) budget.window = window = entity.modelSpendWindow(budget);
    window.roll(now);
    window.lastUsed = now;
    this.state.modelBudgetSync?.track(window);
    return window;
  }

  private checkLimits(model: string | null, now: number): GatewayError | null {
    const key = this.key;
    if (key.isMaster) return null;
    const keyLimited = checkEntityLimits(key, key.alias ?? key.id, now);
    if (keyLimited !== null) return keyLimited;
    const rpm = model === null ? null : (key.modelRpm?.get(model) ?? null);
    const tpm = model === null ? null : (key.modelTpm?.get(model) ?? null);
    if (model !== null && (rpm !== null || tpm !== null)) {
      this.modelWindow = key.modelWindow(model);
      const modelLimited = checkWindow(this.modelWindow, rpm, tpm, null, 'model_per_key', `${key.alias ?? key.id}:${model}`, now);
      if (modelLimited !== null) return modelLimited;
    }
    const member = this.member;
    return this.limitsOf(this.team, now) ?? (member === null ? null : checkEntityLimits(member, member.label, now)) ?? this.limitsOf(this.user, now) ?? this.limitsOf(this.endUser, now);
  }

  private limitsOf(entity: Entity | null, now: number): GatewayError | null {
    return entity === null ? null : checkEntityLimits(entity, entity.id, now);
  }

  private count(entity: Entity): void {
    entity.usage.requests++;
    entity.usage.inFlight++;
  }

  describe(outcome: RequestOutcome): void {
    const key = this.key;
    if (this.admitted && this.cost < 0) this.cost = outcome.status > 0 && outcome.status < 400 ? requestCost(outcome.deployment, outcome.usage) : 0;
    outcome.apiKeyHash = key.id === '' ? null : key.id;
    outcome.keyAlias = key.alias;
    outcome.team = key.teamId;
    outcome.user = key.userId;
    outcome.endUser = this.endUserId;
    if (this.cost >= 0) outcome.responseCost = this.cost;
  }

  cacheScope(): string {
    const key = this.key;
    if (key.isMaster) return '';
    return key.teamId !== null ? `team:${key.teamId}` : `key:${key.id}`;
  }

  addHeaders(headers: Record<string, string>, usage: Usage | null, deployment: Deployment | null): void {
    const key = this.key;
    headers['x-litellm-key-spend'] = numberText(key.spend);
    if (key.rpmLimit !== null) headers['x-ratelimit-remaining-requests'] = numberText(Math.max(0, key.rpmLimit - key.usage.requests));
    if (key.tpmLimit !== null) headers['x-ratelimit-remaining-tokens'] = numberText(Math.max(0, key.tpmLimit - key.usage.tokens));
    if (usage !== null) {
      this.cost = requestCost(deployment, usage);
      headers['x-litellm-response-cost'] = numberText(this.cost);
    }
  }
}
