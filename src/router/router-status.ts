// What the Models screen shows about live routing (cooldowns, recent latency and error rate, last health check):
// read from one process's memory on demand, then merged across the data-plane processes by the control plane.
import { currentMinute, type DeploymentState } from './deployment-state.js';
import type { HealthReport } from './health-check.js';

/** One deployment as one process sees it. */
export interface DeploymentLive {
  readonly id: string;
  /** `Date.now()` until which it is out of every pick; 0 when not cooling. */
  readonly cooldownUntil: number;
  readonly inFlight: number;
  /** Attempts and failed attempts this minute and the previous one. */
  readonly requests: number;
  readonly failures: number;
  /** The last few attempts' latency in ms (time to first token for streams), oldest first. */
  readonly latencyMs: readonly number[];
}

export interface HealthResult {
  readonly id: string;
  readonly healthy: boolean;
  readonly error: string | null;
  readonly checkedAt: number;
}

/** One data-plane process's routing state. */
export interface ProcessRouterStatus {
  readonly pid: number;
  readonly deployments: readonly DeploymentLive[];
  readonly health: readonly HealthResult[];
}

/** The merged view of one deployment, as `/v2/model/info` answers it. */
export interface DeploymentRouterView {
  health: 'healthy' | 'unhealthy' | 'unknown';
  health_error: string | null;
  health_checked_at: string | null;
  /** ISO time the cooldown ends, null when not cooling. */
  cooldown_until: string | null;
  in_flight: number;
  requests: number;
  failures: number;
  /** failures ÷ requests over the last one to two minutes; null without requests. */
  error_rate: number | null;
  latency_p50_ms: number | null;
  /** How many data-plane processes reported. */
  processes: number;
}

export function processRouterStatus(states: Iterable<DeploymentState>, lastHealth: { report: HealthReport; at: number } | null, now = Date.now()): ProcessRouterStatus {
  const minute = currentMinute(now);
  const deployments: DeploymentLive[] = [];
  for (const state of states) {
    state.roll(minute);
    deployments.push({
      id: state.id,
      cooldownUntil: state.cooldownUntil > now ? state.cooldownUntil : 0,
      inFlight: state.inFlight,
      requests: state.requestsThisMinute + state.requestsLastMinute,
      failures: state.failuresThisMinute + state.failuresLastMinute,
      latencyMs: state.latencySamples(),
    });
  }
  const health: HealthResult[] = [];
  if (lastHealth !== null) {
    for (const endpoint of lastHealth.report.healthy_endpoints) health.push({ id: endpoint.model_id, healthy: true, error: null, checkedAt: lastHealth.at });
    for (const endpoint of lastHealth.report.unhealthy_endpoints) health.push({ id: endpoint.model_id, healthy: false, error: endpoint.error ?? null, checkedAt: lastHealth.at });
  }
  return { pid: process.pid, deployments, health };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const middle = values.length >> 1;
  const value = values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
  return Math.round(value * 10) / 10;
}

interface Accumulator {
  cooldownUntil: number;
  inFlight: number;
  requests: number;
  failures: number;
  latency: number[];
  health: HealthResult | null;
}

/**
 * Sums counts over processes, takes the latest cooldown end and the newest health check, and the median of every
 * process's recent latency samples together.
 */
export function mergeRouterStatus(parts: readonly ProcessRouterStatus[]): Map<string, DeploymentRouterView> {
  const byId = new Map<string, Accumulator>();
  const slot = (id: string): Accumulator => {
    let entry = byId.get(id);
    if (entry === undefined) {
      entry = { cooldownUntil: 0, inFlight: 0, requests: 0, failures: 0, latency: [], health: null };
      byId.set(id, entry);
    }
    return entry;
  };
  for (const part of parts) {
    for (const live of part.deployments) {
      const entry = slot(live.id);
      entry.cooldownUntil = Math.max(entry.cooldownUntil, live.cooldownUntil);
      entry.inFlight += live.inFlight;
      entry.requests += live.requests;
      entry.failures += live.failures;
      entry.latency.push(...live.latencyMs);
    }
    for (const result of part.health) {
      const entry = slot(result.id);
      if (entry.health === null || result.checkedAt > entry.health.checkedAt) entry.health = result;
    }
  }
  const views = new Map<string, DeploymentRouterView>();
  for (const [id, entry] of byId) {
    views.set(id, {
      health: entry.health === null ? 'unknown' : entry.health.healthy ? 'healthy' : 'unhealthy',
      health_error: entry.health?.error ?? null,
      health_checked_at: entry.health === null ? null : new Date(entry.health.checkedAt).toISOString(),
      cooldown_until: entry.cooldownUntil === 0 ? null : new Date(entry.cooldownUntil).toISOString(),
      in_flight: entry.inFlight,
      requests: entry.requests,
      failures: entry.failures,
      error_rate: entry.requests === 0 ? null : Math.min(1, entry.failures / entry.requests),
      latency_p50_ms: median(entry.latency),
      processes: parts.length,
    });
  }
  return views;
}
