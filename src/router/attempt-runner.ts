// The attempt loop: pick → send → on failure retry (maybe after a wait), fall back to another group, or fail.
import type { Deployment } from '../config/deployment.js';
import type { ModelGroup } from '../config/snapshot.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import type { RequestContext } from '../dataplane/request-context.js';
import { logger } from '../logging/logger.js';
import { fallbackGroups } from './fallback-plan.js';
import { retriesFor, retryDelayMs } from './retry-decision.js';
import type { Router } from './router.js';
import { RoutingState } from './routing-state.js';

/** What the data plane does for the loop: resolve names, send one attempt, write the final error. */
export interface AttemptHost {
  resolveGroup(model: string): ModelGroup | null;
  /** Sends one attempt to `deployment` from a copy of the original body; may throw a GatewayError synchronously. */
  sendAttempt(ctx: RequestContext, deployment: Deployment): void;
  failFinal(ctx: RequestContext, error: GatewayError): void;
}

function onRetryTimer(runner: AttemptRunner, ctx: RequestContext): void {
  ctx.routing!.timer = null;
  if (ctx.clientGone) return;
  runner.attempt(ctx);
}

/** The error LiteLLM's `mock_testing_*fallbacks` body flags raise in the first group, to try fallbacks safely. */
function mockTestingFailure(routing: RoutingState): GatewayError {
  const model = routing.group.name;
  if (routing.mockFailure === 'context_window') return new GatewayError({ reason: 'context_window_exceeded', status: 400, message: `This is a mock context window exception for model=${model}, to trigger a fallback.` });
  if (routing.mockFailure === 'content_policy') return new GatewayError({ reason: 'content_policy_violation', status: 400, message: `This is a mock content policy exception for model=${model}, to trigger a fallback.` });
  return new GatewayError({ reason: 'upstream', status: 500, message: `This is a mock exception for model=${model}, to trigger a fallback. Fallbacks=${JSON.stringify(routing.fallbackQueue ?? [])}`, retryable: false });
}

function stopWaiting(routing: RoutingState): void {
  if (routing.timer === null) return;
  clearTimeout(routing.timer as NodeJS.Timeout);
  clearImmediate(routing.timer as NodeJS.Immediate);
  routing.timer = null;
}

export class AttemptRunner {
  readonly router: Router;
  private readonly host: AttemptHost;
  private readonly random: () => number;

  constructor(router: Router, host: AttemptHost, random: () => number = Math.random) {
    this.router = router;
    this.host = host;
    this.random = random;
  }

  begin(ctx: RequestContext, body: JsonObject, group: ModelGroup): void {
    ctx.routing = new RoutingState(body, group, this.router.settings, ctx.req.headers, this.router.smallestWindow);
    this.attempt(ctx);
  }

  /** Every attempt to one deployment (see RoutingState.pinned): the same retries and waits, nothing else. */
  beginPinned(ctx: RequestContext, body: JsonObject, deployment: Deployment): void {
    const routing = new RoutingState(body, { name: deployment.modelGroup, deployments: [deployment] }, this.router.settings, ctx.req.headers, this.router.smallestWindow);
    routing.pinned = deployment;
    ctx.routing = routing;
    this.attempt(ctx);
  }

  attempt(ctx: RequestContext): void {
    const routing = ctx.routing!;
    if (routing.pinned !== null) {
      ctx.deployment = routing.pinned;
      return this.send(ctx, routing.pinned);
    }
    if (routing.mockFailure !== null && routing.attemptedFallbacks === 0) return this.onAttemptFailed(ctx, mockTestingFailure(routing));
    const picked = this.router.pick(routing.group, routing);
    if (picked instanceof GatewayError) return this.onAttemptFailed(ctx, picked);
    routing.current = picked;
    routing.active = true;
    ctx.deployment = picked.deployment;
    this.router.onAttemptStart(picked);
    this.send(ctx, picked.deployment);
  }

  private send(ctx: RequestContext, deployment: Deployment): void {
    try {
      this.host.sendAttempt(ctx, deployment);
    } catch (error) {
      const gatewayError = toGatewayError(error);
      if (gatewayError.reason === 'internal') logger.error({ err: error, callId: ctx.callId }, 'attempt failed');
      this.onAttemptFailed(ctx, gatewayError);
    }
  }

  /** Called before any byte reached the client: decide between retry, fallback and the final error. */
  onAttemptFailed(ctx: RequestContext, error: GatewayError): void {
    const routing = ctx.routing!;
    const group = routing.group;
    if (routing.active) {
      routing.active = false;
      const current = routing.current!;
      this.router.onAttemptFailure(current, error, this.router.groupSize(group));
      routing.failedIds.push(current.deployment.id);
    }
    if (ctx.clientGone) return;
    routing.lastError = error;
    if (routing.retriesInGroup < retriesFor(error, group.name, routing.numRetries, this.router.settings)) {
      routing.retriesInGroup++;
      routing.attemptedRetries++;
      const othersAvailable = error.status !== 429 || (routing.pinned === null && this.router.hasAvailable(group, routing.failedIds));
      const delay = retryDelayMs(error, routing.retriesInGroup, othersAvailable, this.router.settings, this.random);
      routing.timer = delay > 0 ? setTimeout(onRetryTimer, delay, this, ctx) : setImmediate(onRetryTimer, this, ctx);
      return;
    }
    const next = this.nextFallback(routing, error);
    if (next === null) return this.host.failFinal(ctx, error);
    routing.attemptedFallbacks++;
    routing.group = next;
    ctx.group = next;
    routing.retriesInGroup = 0;
    routing.failedIds.length = 0;
    routing.timer = setImmediate(onRetryTimer, this, ctx);
  }

  private nextFallback(routing: RoutingState, error: GatewayError): ModelGroup | null {
    if (routing.pinned !== null || routing.attemptedFallbacks >= this.router.settings.maxFallbacks) return null;
    if (routing.fallbackQueue === null) {
      routing.fallbackQueue = fallbackGroups(routing.group.name, error, routing.requestFallbacks, this.router.settings).slice();
    }
    const queue = routing.fallbackQueue as string[];
    while (queue.length > 0) {
      const group = this.host.resolveGroup(queue.shift()!);
      if (group !== null && group !== routing.group) return group;
    }
    return null;
  }

  /**
   * The request was answered by someone else (a limit that said no after dispatch): stop any wait and count the
   * attempt in flight out as abandoned, so the answer's error is not held against the deployment.
   */
  abandon(ctx: RequestContext): void {
    const routing = ctx.routing;
    if (routing === null) return;
    stopWaiting(routing);
    if (!routing.active) return;
    routing.active = false;
    this.router.onAttemptAbandoned(routing.current!);
  }

  /** The request is over (answered, failed or abandoned): count the last attempt out and stop any wait. */
  onFinished(ctx: RequestContext): void {
    const routing = ctx.routing;
    if (routing === null) return;
    stopWaiting(routing);
    if (!routing.active) return;
    routing.active = false;
    const current = routing.current!;
    if (ctx.error !== null) {
      this.router.onAttemptFailure(current, ctx.error, this.router.groupSize(routing.group));
    } else if (ctx.status === 0 || ctx.clientGone && ctx.upstreamEndedAt === 0) {
      this.router.onAttemptAbandoned(current);
    } else {
      const latency = ctx.stream && ctx.firstChunkAt > 0 ? ctx.firstChunkAt - ctx.upstreamStartedAt : ctx.upstreamEndedAt - ctx.upstreamStartedAt;
      this.router.onAttemptSuccess(current, latency, ctx.usage?.totalTokens ?? 0);
    }
  }
}
