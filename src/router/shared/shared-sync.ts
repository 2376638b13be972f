// Keeps a worker's routing state in step with the others: rpm leased ahead, counters and cooldowns synced each tick.
import cluster from 'node:cluster';
import type { RuntimeSnapshot } from '../../config/snapshot.js';
import { logger } from '../../logging/logger.js';
import { currentMinute, type DeploymentState, type DeploymentStates } from '../deployment-state.js';
import type { RoutedDeployment } from '../routed-deployment.js';
import type { SharedRouterState } from '../router.js';
import type { SharedBackend } from './backend.js';
import { ClusterBackend } from './cluster-backend.js';
import { QuotaBook, type SharedView, type SyncReport } from './quota-book.js';
import { RedisBackend, redisTargetOf } from './redis-backend.js';
import { sharedRouterStats } from './stats.js';

/** Counters and cooldowns travel every tick (never on the request path); rpm quota is leased ahead of need. */
const TICK_MS = 100;

function leaseBlock(rpm: number): number {
  return Math.max(1, Math.ceil(rpm / 20));
}

function onTick(sync: SharedSync): void {
  sync.tick();
}

export class SharedSync implements SharedRouterState {
  private readonly backend: SharedBackend;
  private readonly states: DeploymentStates;
  private limited: RoutedDeployment[] = [];
  /** Grants leases while the backend is away, so this process alone still keeps each rpm. */
  private readonly localBook = new QuotaBook();
  private pendingCooldowns: Record<string, number> = {};
  private syncing = false;
  private readonly timer: NodeJS.Timeout;

  constructor(backend: SharedBackend, states: DeploymentStates) {
    this.backend = backend;
    this.states = states;
    sharedRouterStats.backend = backend.kind;
    this.timer = setInterval(onTick, TICK_MS, this);
    this.timer.unref();
  }

  track(routed: RoutedDeployment): void {
    if (routed.rpm === Infinity || routed.state.leaseMode) return;
    routed.state.leaseMode = true;
    this.limited.push(routed);
    this.refill(routed);
  }

  forgetDropped(states: DeploymentStates): void {
    this.limited = this.limited.filter((routed) => states.holds(routed.state));
  }

  onAttemptStart(routed: RoutedDeployment): void {
    const state = routed.state;
    if (!state.leaseMode) return;
    state.leaseLeft = Math.max(0, state.leaseLeft - 1);
    this.refill(routed);
  }

  onAttemptEnd(routed: RoutedDeployment, tokens: number, latencyMs: number): void {
    const state = routed.state;
    state.pendingTokens += tokens;
    if (latencyMs > 0) {
      state.pendingLatencySum += latencyMs;
      state.pendingLatencyCount++;
    }
  }

  onCooldown(routed: RoutedDeployment, untilMs: number): void {
    this.pendingCooldowns[routed.deployment.id] = untilMs;
  }

  /** Tops up a deployment's lease for the current minute; one lease call at a time per deployment. */
  private refill(routed: RoutedDeployment): void {
    const state = routed.state;
    const minute = currentMinute(Date.now());
    if (state.leaseMinute !== minute) {
      state.leaseMinute = minute;
      state.leaseLeft = 0;
    }
    const block = leaseBlock(routed.rpm);
    if (state.leasePending || state.leaseLeft >= block) return;
    state.leasePending = true;
    sharedRouterStats.leaseRequests++;
    const id = routed.deployment.id;
    const want = block - state.leaseLeft;
    this.backend.lease(id, minute, want, routed.rpm).then(
      (granted) => this.granted(state, minute, granted),
      (error: unknown) => {
        this.backendDown(error);
        sharedRouterStats.localFallbackLeases++;
        this.granted(state, minute, this.localBook.lease(id, minute, want, routed.rpm));
      },
    );
  }

  private granted(state: DeploymentState, minute: number, granted: number): void {
    state.leasePending = false;
    if (state.leaseMinute === minute) state.leaseLeft += granted;
  }

  tick(): void {
    for (const routed of this.limited) this.refill(routed);
    if (this.syncing) return;
    const minute = currentMinute(Date.now());
    const report: SyncReport = { minute, tokens: {}, inFlight: {}, cooldowns: this.pendingCooldowns, latency: {} };
    this.pendingCooldowns = {};
    const ids: string[] = [];
    for (const state of this.states.all()) {
      ids.push(state.id);
      state.roll(minute);
      if (state.pendingTokens > 0) {
        report.tokens[state.id] = state.pendingTokens;
        state.flushedTokens += state.pendingTokens;
        state.pendingTokens = 0;
      }
      if (state.pendingLatencyCount > 0) {
        report.latency[state.id] = [state.pendingLatencySum, state.pendingLatencyCount];
        state.pendingLatencySum = 0;
        state.pendingLatencyCount = 0;
      }
      const delta = state.inFlight - state.reportedInFlight;
      if (delta !== 0) {
        report.inFlight[state.id] = delta;
        state.reportedInFlight = state.inFlight;
      }
    }
    this.syncing = true;
    this.backend.sync(report, ids).then(
      (view) => this.apply(view),
      (error: unknown) => {
        this.syncing = false;
        this.backendDown(error);
      },
    );
  }

  private apply(view: SharedView): void {
    this.syncing = false;
    sharedRouterStats.syncs++;
    if (sharedRouterStats.backendUp === 0) logger.warn({ backend: this.backend.kind }, 'shared routing state is back');
    sharedRouterStats.backendUp = 1;
    for (const state of this.states.all()) {
      const id = state.id;
      if (view.minute === state.minute) state.remoteTokens = Math.max(0, (view.tokens[id] ?? 0) - state.flushedTokens);
      state.remoteInFlight = Math.max(0, (view.inFlight[id] ?? 0) - state.reportedInFlight);
      const latency = view.latency[id];
      if (latency !== undefined) state.sharedLatencyMs = latency;
      const until = view.cooldowns[id];
      if (until !== undefined && until > state.cooldownUntil) state.cooldownUntil = until;
    }
  }

  private backendDown(error: unknown): void {
    sharedRouterStats.backendErrors++;
    if (sharedRouterStats.backendUp === 1) logger.error({ err: error, backend: this.backend.kind }, 'shared routing state unavailable; routing from local state');
    sharedRouterStats.backendUp = 0;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.backend.close();
  }
}

/** Redis when configured; the cluster primary in a worker; otherwise nothing (one process: all local, no cost). */
export function createSharedSync(snapshot: RuntimeSnapshot, states: DeploymentStates): SharedSync | null {
  const env = snapshot.deploymentDefaults.env;
  const target = redisTargetOf(snapshot.config, env);
  if (target !== null) return new SharedSync(new RedisBackend(target), states);
  if (cluster.isWorker) return new SharedSync(new ClusterBackend(), states);
  return null;
}
