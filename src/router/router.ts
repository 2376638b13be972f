// The Router: built once per snapshot; picks a deployment of a group and keeps the live state picks depend on.
import type { Deployment } from '../config/deployment.js';
import type { ModelGroup, RuntimeSnapshot } from '../config/snapshot.js';
import { GatewayError } from '../core/errors.js';
import { logger } from '../logging/logger.js';
import { shouldCooldown } from './cooldowns.js';
import { currentMinute, DeploymentStates } from './deployment-state.js';
import type { RandomSource } from './random-source.js';
import { routeDeployment, type RoutedDeployment } from './routed-deployment.js';
import { resolveRouterSettings, type RouterSettings } from './router-settings.js';
import { createStrategy } from './strategies/index.js';
import type { RoutingStrategy } from './strategy.js';
import { createSharedSync } from './shared/shared-sync.js';
import { loadTokenizer } from './token-estimate.js';

/** Where usage and cooldowns are mirrored for other workers and instances (absent: local only, nothing extra). */
export interface SharedRouterState {
  /** Told about every deployment the router sees once, so rpm-limited ones can lease quota ahead. */
  track(routed: RoutedDeployment): void;
  onAttemptStart(routed: RoutedDeployment): void;
  onAttemptEnd(routed: RoutedDeployment, tokens: number, latencyMs: number): void;
  onCooldown(routed: RoutedDeployment, untilMs: number): void;
  /** Stops tracking deployments whose state the router dropped (see `Router.forgetIdleDynamicStates`). */
  forgetDropped(states: DeploymentStates): void;
  close(): Promise<void>;
}

export interface RouterOptions {
  random?: RandomSource;
  now?: () => number;
  /** Shared state backend; default: Redis when configured, the cluster primary in a worker, else none. */
  shared?: SharedRouterState | null;
}

/** What one request asks of a pick: deployments to avoid (failed this request), its tags and prompt size. */
export interface PickRequest {
  failedIds: readonly string[];
  tags: readonly string[] | null;
  estimatedTokens: number;
}

interface CompiledGroup {
  readonly name: string;
  readonly members: readonly RoutedDeployment[];
  readonly hasOrder: boolean;
}

function configuredIds(snapshot: RuntimeSnapshot): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const group of snapshot.groups.values()) for (const deployment of group.deployments) ids.add(deployment.id);
  return ids;
}

export class Router {
  settings: RouterSettings;
  strategy: RoutingStrategy;
  readonly states = new DeploymentStates();
  shared: SharedRouterState | null = null;
  /** The smallest known context window of any deployment (Infinity: none known), so short prompts skip tokenizing. */
  smallestWindow = Infinity;
  private readonly random: RandomSource;
  private readonly now: () => number;
  private readonly compiled = new WeakMap<ModelGroup, CompiledGroup>();
  /** Reused for every pick: selection is synchronous, so one scratch array per router is enough. */
  private readonly scratch: RoutedDeployment[] = [];
  private readonly byDeployment = new WeakMap<Deployment, RoutedDeployment>();
  /** Ids of the config's own deployments, whose state is never dropped. */
  private configuredIds: ReadonlySet<string>;

  constructor(snapshot: RuntimeSnapshot, options: RouterOptions = {}) {
    this.settings = resolveRouterSettings(snapshot.config);
    this.strategy = createStrategy(this.settings.strategyName, this.settings.strategyArgs);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.shared = options.shared === undefined ? createSharedSync(snapshot, this.states) : options.shared;
    this.configuredIds = configuredIds(snapshot);
    for (const group of new Set(snapshot.groups.values())) this.compile(group);
    if (this.settings.preCallChecks) void loadTokenizer();
  }

  /**
   * A new config snapshot: settings and strategy are swapped in one step; live state (usage, cooldowns,
   * latency) carries over by deployment id, and requests already in their attempt loop keep their groups.
   */
  reload(snapshot: RuntimeSnapshot): void {
    const settings = resolveRouterSettings(snapshot.config);
    this.strategy = createStrategy(settings.strategyName, settings.strategyArgs);
    this.settings = settings;
    this.configuredIds = configuredIds(snapshot);
    for (const group of new Set(snapshot.groups.values())) this.compile(group);
    if (settings.preCallChecks) void loadTokenizer();
    this.forgetIdleDynamicStates();
  }

  /**
   * Drops the idle state of deployments that are not in the config: wildcard deployments (called when the model
   * resolver empties its wildcard cache) and ones a reload removed. Busy or cooling ones stay.
   */
  forgetIdleDynamicStates(): number {
    const dropped = this.states.retainOnly(this.configuredIds, this.now());
    if (dropped > 0) this.shared?.forgetDropped(this.states);
    return dropped;
  }

  routed(deployment: Deployment): RoutedDeployment {
    let routed = this.byDeployment.get(deployment);
    if (routed === undefined) {
      routed = routeDeployment(deployment, this.states.get(deployment.id));
      this.byDeployment.set(deployment, routed);
      if (routed.maxInputTokens > 0 && routed.maxInputTokens < this.smallestWindow) this.smallestWindow = routed.maxInputTokens;
      this.shared?.track(routed);
    }
    return routed;
  }

  private compile(group: ModelGroup): CompiledGroup {
    let compiled = this.compiled.get(group);
    if (compiled === undefined) {
      const members = group.deployments.map((deployment) => this.routed(deployment));
      compiled = { name: group.name, members, hasOrder: members.some((member) => member.order !== Number.MAX_SAFE_INTEGER) };
      this.compiled.set(group, compiled);
    }
    return compiled;
  }

  /** Picks a deployment, or returns the error to answer with (all cooling, rpm used up, context too long, tags). */
  pick(group: ModelGroup, request: PickRequest): RoutedDeployment | GatewayError {
    const compiled = this.compile(group);
    const members = compiled.members;
    if (members.length === 1 && request.tags === null && !this.settings.preCallChecks && members[0]!.maxParallel === Infinity && members[0]!.state.cooldownUntil === 0) {
      return this.strategy.pick(members, 1, this.random, request.estimatedTokens) ?? this.noDeployments(group.name, 0);
    }
    const now = this.now();
    const minute = currentMinute(now);
    const scratch = this.scratch;
    let count = 0;
    let cooling = 0;
    let soonestMs = Infinity;
    let tooSmall = 0;
    let rpmFull = 0;
    let saturated = 0;
    let tier = Number.MAX_SAFE_INTEGER;
    for (const member of members) {
      const state = member.state;
      state.roll(minute);
      if (state.cooldownUntil > now) {
        cooling++;
        soonestMs = Math.min(soonestMs, state.cooldownUntil - now);
        continue;
      }
      if (request.tags !== null && !matchesTags(member, request.tags)) continue;
      if (this.settings.preCallChecks) {
        if (member.maxInputTokens > 0 && request.estimatedTokens > member.maxInputTokens) {
          tooSmall++;
          continue;
        }
        if (!state.rpmAvailable(member.rpm)) {
          rpmFull++;
          continue;
        }
      }
      if (state.busy() >= member.maxParallel) {
        saturated++;
        continue;
      }
      if (compiled.hasOrder) {
        if (member.order > tier) continue;
        if (member.order < tier) {
          tier = member.order;
          count = 0;
        }
      }
      scratch[count++] = member;
    }
    count = this.withoutFailed(scratch, count, request.failedIds);
    const chosen = count === 0 ? null : this.strategy.pick(scratch, count, this.random, request.estimatedTokens);
    scratch.fill(undefined as unknown as RoutedDeployment, 0, count);
    if (chosen !== null) return chosen;
    if (tooSmall > 0 && tooSmall + cooling >= members.length) return contextTooLong(group.name, request.estimatedTokens);
    if (request.tags !== null && cooling === 0 && rpmFull === 0) return noTaggedDeployments(group.name, request.tags);
    // Retry-after: the first cooldown to end, else 1 s for parallel limits, else the end of the rpm minute.
    return this.noDeployments(group.name, cooling > 0 ? soonestMs : saturated > 0 ? 1_000 : 60_000 - (now % 60_000));
  }

  /** Drops deployments that already failed this request, unless that would leave none. */
  private withoutFailed(scratch: RoutedDeployment[], count: number, failedIds: readonly string[]): number {
    if (failedIds.length === 0 || count <= 1) return count;
    let kept = 0;
    for (let index = 0; index < count; index++) {
      const member = scratch[index]!;
      if (!failedIds.includes(member.deployment.id)) scratch[kept++] = member;
    }
    return kept === 0 ? count : kept;
  }

  /** Whether a deployment that has not failed this request is free now (if not, a rate-limited retry waits). */
  hasAvailable(group: ModelGroup, failedIds: readonly string[]): boolean {
    const now = this.now();
    for (const member of this.compile(group).members) {
      if (member.state.cooldownUntil <= now && !failedIds.includes(member.deployment.id)) return true;
    }
    return false;
  }

  private noDeployments(groupName: string, retryAfterMs: number): GatewayError {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return new GatewayError({
      reason: 'no_deployments',
      status: 429,
      message: `No deployments available for selected model, Try again in ${seconds} seconds. Passed model=${groupName}.`,
      headers: { 'retry-after': String(seconds) },
    });
  }

  onAttemptStart(routed: RoutedDeployment): void {
    const state = routed.state;
    state.roll(currentMinute(this.now()));
    state.inFlight++;
    state.requestsThisMinute++;
    this.shared?.onAttemptStart(routed);
  }

  /** A finished attempt: latency feeds latency-based routing, tokens feed usage-based routing. */
  onAttemptSuccess(routed: RoutedDeployment, latencyMs: number, tokens: number): void {
    const state = routed.state;
    state.inFlight = Math.max(0, state.inFlight - 1);
    state.roll(currentMinute(this.now()));
    state.tokensThisMinute += tokens;
    if (latencyMs > 0) state.recordLatency(latencyMs);
    this.shared?.onAttemptEnd(routed, tokens, latencyMs);
  }

  /** A failed attempt: counts toward cooldown; returns whether the deployment now cools down. */
  onAttemptFailure(routed: RoutedDeployment, error: GatewayError, groupSize: number): boolean {
    const state = routed.state;
    state.inFlight = Math.max(0, state.inFlight - 1);
    state.roll(currentMinute(this.now()));
    this.shared?.onAttemptEnd(routed, 0, 0);
    if (error.reason === 'no_deployments' || !shouldCooldown(state, error, this.settings, groupSize)) return false;
    state.cooldownUntil = this.now() + this.settings.cooldownMs;
    logger.warn({ deployment: routed.deployment.id, group: routed.deployment.modelGroup, status: error.status, cooldownMs: this.settings.cooldownMs }, 'deployment cooling down');
    this.shared?.onCooldown(routed, state.cooldownUntil);
    return true;
  }

  /** A client that left: the attempt no longer counts as in flight. */
  onAttemptAbandoned(routed: RoutedDeployment): void {
    routed.state.inFlight = Math.max(0, routed.state.inFlight - 1);
    this.shared?.onAttemptEnd(routed, 0, 0);
  }

  async close(): Promise<void> {
    await this.shared?.close();
  }

  groupSize(group: ModelGroup): number {
    return this.compile(group).members.length;
  }
}

function matchesTags(member: RoutedDeployment, tags: readonly string[]): boolean {
  if (tags.length === 0) return member.tags.length === 0 || member.tags.includes('default');
  for (const tag of tags) if (member.tags.includes(tag)) return true;
  return false;
}

function contextTooLong(groupName: string, tokens: number): GatewayError {
  return new GatewayError({
    reason: 'context_window_exceeded',
    status: 400,
    message: `The prompt (about ${tokens} tokens) is longer than the context window of every deployment of model=${groupName} (enable_pre_call_checks).`,
    retryable: false,
  });
}

function noTaggedDeployments(groupName: string, tags: readonly string[]): GatewayError {
  return new GatewayError({
    reason: 'invalid_request',
    status: 400,
    message: `No deployments of model=${groupName} match the request's tags ${JSON.stringify(tags)} (enable_tag_filtering).`,
    retryable: false,
  });
}
