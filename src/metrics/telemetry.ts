// The process-wide metric set: created once, shared by the request observer, the router and governance gauges.
import cluster from 'node:cluster';
import { Registry } from 'prom-client';
import { createMetricSet, type MetricSet } from './metric-set.js';
import { ClusterMetricsSource, LocalMetricsSource, WorkerMetricsSource, type MetricsSource } from './metrics-source.js';
import { PrometheusObserver } from './prometheus-observer.js';

export interface Telemetry {
  readonly registry: Registry;
  readonly metrics: MetricSet;
  readonly observer: PrometheusObserver;
  /** What `/metrics` renders: this process, or (in a worker) the whole group through the primary. */
  readonly source: MetricsSource;
}

/** A fresh registry and metric set (tests build their own so counts start from zero). */
export function createTelemetry(options: { clustered?: boolean } = {}): Telemetry {
  const registry = new Registry();
  const metrics = createMetricSet(registry);
  const clusteredWorker = options.clustered === true && cluster.isWorker;
  const source = clusteredWorker ? new WorkerMetricsSource(registry) : new LocalMetricsSource(registry);
  return { registry, metrics, observer: new PrometheusObserver(metrics), source };
}

let shared: Telemetry | null = null;

/** The process's telemetry; other modules (router cooldowns, budget gauges) record through `sharedTelemetry().metrics`. */
export function sharedTelemetry(): Telemetry {
  shared ??= createTelemetry({ clustered: cluster.isWorker });
  return shared;
}

/** In the primary of a `--num_workers` group: the aggregated view of every worker. */
export function primaryMetricsSource(): MetricsSource {
  return new ClusterMetricsSource();
}
