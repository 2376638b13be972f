// The metric children for one label tuple, bound once so recording a request is only increments and observes.
import type { Deployment } from '../config/deployment.js';
import type { CounterCell, GaugeCell, HistogramCell } from './fast-metrics.js';
import type { MetricSet } from './metric-set.js';

type CounterChild = CounterCell;
type HistogramChild = HistogramCell;

/** Who made the request, as LiteLLM labels it; '' when unknown. */
export interface CallerLabels {
  endUser: string;
  apiKeyHash: string;
  keyAlias: string;
  team: string;
  teamAlias: string;
  user: string;
}

export interface FailureSeries {
  proxyFailed: CounterChild;
  deploymentFailure: CounterChild | null;
}

/** Series for one (deployment, requested model, caller) tuple. */
export class BoundSeries {
  private readonly metrics: MetricSet;
  private readonly deployment: Deployment | null;
  private readonly requestedModel: string;
  /** The caller labels this series was bound with (the series cache checks them on each hit). */
  readonly caller: CallerLabels;
  private readonly model: string;
  private readonly proxyTotalByStatus = new Map<number, CounterChild>();
  private readonly failures = new Map<string, FailureSeries>();
  readonly requestsMetric: CounterChild;
  readonly totalLatency: HistogramChild;
  readonly apiLatency: HistogramChild | null;
  readonly overhead: HistogramChild | null;
  readonly ttft: HistogramChild;
  readonly tokens: readonly [CounterChild, CounterChild, CounterChild, CounterChild, CounterChild, CounterChild];
  readonly spend: CounterChild;
  readonly deploymentSuccess: CounterChild | null;
  readonly deploymentTotal: CounterChild | null;
  readonly perOutputToken: HistogramChild | null;
  readonly providerLatency: HistogramChild | null;
  readonly remainingRequests: GaugeCell | null;
  readonly remainingTokens: GaugeCell | null;
  readonly cacheHit: CounterChild;
  readonly cacheMiss: CounterChild;

  constructor(metrics: MetricSet, deployment: Deployment | null, requestedModel: string, caller: CallerLabels) {
    this.metrics = metrics;
    this.deployment = deployment;
    this.requestedModel = requestedModel;
    this.caller = caller;
    const c = caller;
    const model = deployment === null ? requestedModel : deployment.upstreamModel;
    this.model = model;
    this.requestsMetric = metrics.requestsMetric.labels(c.endUser, c.apiKeyHash, c.keyAlias, model, c.team, c.teamAlias, c.user);
    this.totalLatency = metrics.requestTotalLatency.labels(c.endUser, c.apiKeyHash, c.keyAlias, requestedModel, c.team, c.teamAlias, c.user, model);
    this.ttft = metrics.timeToFirstToken.labels(model, c.apiKeyHash, c.keyAlias, c.team, c.teamAlias);
    const tokenLabels = [c.endUser, c.apiKeyHash, c.keyAlias, model, c.team, c.teamAlias, c.user, requestedModel] as const;
    this.tokens = [
      metrics.inputTokens.labels(...tokenLabels), metrics.outputTokens.labels(...tokenLabels), metrics.totalTokens.labels(...tokenLabels),
      metrics.inputTokensMetric.labels(...tokenLabels), metrics.outputTokensMetric.labels(...tokenLabels), metrics.totalTokensMetric.labels(...tokenLabels),
    ];
    this.spend = metrics.spend.labels(c.endUser, c.apiKeyHash, c.keyAlias, model, c.team, c.teamAlias, c.user);
    this.cacheHit = metrics.cacheHitsMetric.labels(model, c.apiKeyHash, c.keyAlias, c.team, c.teamAlias, requestedModel);
    this.cacheMiss = metrics.cacheMissesMetric.labels(model, c.apiKeyHash, c.keyAlias, c.team, c.teamAlias, requestedModel);
    if (deployment === null) {
      this.apiLatency = this.overhead = this.deploymentSuccess = this.deploymentTotal = this.perOutputToken = this.providerLatency = null;
      this.remainingRequests = this.remainingTokens = null;
      return;
    }
    const d = deployment;
    this.apiLatency = metrics.llmApiLatency.labels(model, c.apiKeyHash, c.keyAlias, c.team, c.teamAlias, requestedModel, c.endUser, c.user);
    this.overhead = metrics.overheadLatency.labels(d.modelGroup, d.provider, d.apiBase, model, c.apiKeyHash, c.keyAlias);
    this.deploymentSuccess = metrics.deploymentSuccess.labels(model, d.id, d.apiBase, d.provider, requestedModel, c.apiKeyHash, c.keyAlias, c.team, c.teamAlias);
    this.deploymentTotal = metrics.deploymentTotal.labels(model, d.id, d.apiBase, d.provider, requestedModel, c.apiKeyHash, c.keyAlias, c.team, c.teamAlias);
    this.perOutputToken = metrics.deploymentLatencyPerOutputToken.labels(model, d.id, d.apiBase, d.provider, c.apiKeyHash, c.keyAlias, c.team, c.teamAlias);
    this.providerLatency = metrics.providerLatency.labels(d.provider);
    this.remainingRequests = metrics.remainingRequests.labels(d.modelGroup, d.provider, d.apiBase, model, c.apiKeyHash, c.keyAlias);
    this.remainingTokens = metrics.remainingTokens.labels(d.modelGroup, d.provider, d.apiBase, model, c.apiKeyHash, c.keyAlias);
  }

  proxyTotal(status: number): CounterChild {
    let child = this.proxyTotalByStatus.get(status);
    if (child === undefined) {
      const c = this.caller;
      child = this.metrics.proxyTotalRequests.labels(c.endUser, c.apiKeyHash, c.keyAlias, this.requestedModel, c.team, c.teamAlias, c.user, String(status));
      this.proxyTotalByStatus.set(status, child);
    }
    return child;
  }

  failure(status: number, exceptionClass: string): FailureSeries {
    const key = `${status}:${exceptionClass}`;
    let series = this.failures.get(key);
    if (series === undefined) {
      const c = this.caller;
      const statusText = String(status);
      const d = this.deployment;
      series = {
        proxyFailed: this.metrics.proxyFailedRequests.labels(c.endUser, c.apiKeyHash, c.keyAlias, this.requestedModel, c.team, c.teamAlias, c.user, statusText, exceptionClass),
        deploymentFailure: d === null ? null : this.metrics.deploymentFailure.labels(this.model, d.id, d.apiBase, d.provider, this.requestedModel, c.apiKeyHash, c.keyAlias, c.team, c.teamAlias, statusText, exceptionClass),
      };
      this.failures.set(key, series);
    }
    return series;
  }
}
