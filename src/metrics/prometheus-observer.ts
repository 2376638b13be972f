// Records every finished LLM request into LiteLLM's Prometheus metrics; the label children are cached per tuple.
import type { RequestObserver, RequestOutcome } from '../dataplane/request-outcome.js';
import type { BoundSeries } from './bound-series.js';
import { exceptionClass } from './exception-class.js';
import type { CounterCell, HistogramCell } from './fast-metrics.js';
import type { MetricSet } from './metric-set.js';
import { SeriesCache } from './series-cache.js';

/** Bound-series cache size; past it the cache restarts (the series stay in the registry, only re-binding costs). */
const MAX_CACHED_SERIES = 10_000;

/** The provider's `x-ratelimit-remaining-*` headers → LiteLLM's remaining requests/tokens gauges. */
function recordRemaining(headers: Readonly<Record<string, string | string[] | undefined>>, series: BoundSeries): void {
  const requests = headers['x-ratelimit-remaining-requests'];
  if (typeof requests === 'string') {
    const value = Number(requests);
    if (Number.isFinite(value)) series.remainingRequests!.set(value);
  }
  const tokens = headers['x-ratelimit-remaining-tokens'];
  if (typeof tokens === 'string') {
    const value = Number(tokens);
    if (Number.isFinite(value)) series.remainingTokens!.set(value);
  }
}

export class PrometheusObserver implements RequestObserver {
  private readonly metrics: MetricSet;
  private readonly series: SeriesCache;
  private readonly requestsByStatus = new Map<number, CounterCell>();
  private readonly duration: HistogramCell;
  private readonly cacheHits: CounterCell;
  private readonly cacheMisses: CounterCell;

  constructor(metrics: MetricSet) {
    this.metrics = metrics;
    this.series = new SeriesCache(metrics, MAX_CACHED_SERIES);
    this.duration = metrics.requestDuration.labels();
    this.cacheHits = metrics.cacheHitsTotal.labels();
    this.cacheMisses = metrics.cacheMissesTotal.labels();
  }

  onRequestFinished(outcome: RequestOutcome): void {
    const series = this.series.seriesFor(outcome, outcome.requestedModel ?? '');
    const error = outcome.error;
    const status = outcome.status === 0 ? 500 : outcome.status;
    const failed = error !== null || status >= 400;
    const answeredStatus = failed && error !== null && status < 400 ? error.status : status;
    this.statusCounter(answeredStatus).inc();
    series.proxyTotal(answeredStatus).inc();
    series.requestsMetric.inc();
    const totalSeconds = (outcome.endedAt - outcome.startedAt) / 1000;
    this.duration.observe(totalSeconds);
    series.totalLatency.observe(totalSeconds);
    if (failed) {
      const failure = series.failure(answeredStatus, exceptionClass(error === null ? null : error.reason, answeredStatus));
      failure.proxyFailed.inc();
      failure.deploymentFailure?.inc();
    } else {
      series.deploymentSuccess?.inc();
    }
    series.deploymentTotal?.inc();
    if (outcome.upstreamMs > 0 && series.apiLatency !== null) this.recordUpstream(outcome, series, totalSeconds);
    const headers = outcome.upstreamHeaders;
    if (headers != null && series.remainingRequests !== null) recordRemaining(headers, series);
    if (outcome.stream && outcome.timeToFirstTokenMs > 0) series.ttft.observe(outcome.timeToFirstTokenMs / 1000);
    const usage = outcome.usage;
    if (usage !== null) {
      const tokens = series.tokens;
      tokens[0].inc(usage.promptTokens);
      tokens[1].inc(usage.completionTokens);
      tokens[2].inc(usage.totalTokens);
      tokens[3].inc(usage.promptTokens);
      tokens[4].inc(usage.completionTokens);
      tokens[5].inc(usage.totalTokens);
    }
    const cost = outcome.responseCost;
    if (cost !== undefined && cost > 0) series.spend.inc(cost);
    if (outcome.cacheHit === true) {
      this.cacheHits.inc();
      series.cacheHit.inc();
    } else if (outcome.cacheHit === false) {
      this.cacheMisses.inc();
      series.cacheMiss.inc();
    }
  }

  private recordUpstream(outcome: RequestOutcome, series: BoundSeries, totalSeconds: number): void {
    const apiSeconds = outcome.upstreamMs / 1000;
    series.apiLatency!.observe(apiSeconds);
    series.providerLatency!.observe(apiSeconds);
    series.overhead!.observe(totalSeconds > apiSeconds ? totalSeconds - apiSeconds : 0);
    const usage = outcome.usage;
    if (usage !== null && usage.completionTokens > 0) series.perOutputToken!.observe(apiSeconds / usage.completionTokens);
  }

  private statusCounter(status: number): CounterCell {
    let child = this.requestsByStatus.get(status);
    if (child === undefined) {
      child = this.metrics.requestsTotal.labels(String(status));
      this.requestsByStatus.set(status, child);
    }
    return child;
  }
}
