// Counters, gauges and histograms whose bound cells are plain number fields, exposed through a prom-client Registry.
// prom-client's own `labels(...)` children re-hash the label object on every inc/observe (~1 µs per call with
// LiteLLM's 7–10 labels); these cells cost a few ns, and prom-client still does exposition and cluster aggregation.
import type { Registry } from 'prom-client';

type Aggregator = 'sum' | 'max' | 'min';
type LabelValues = Record<string, string>;

interface MetricValue {
  value: number;
  labels: LabelValues;
  metricName?: string;
}

interface MetricData {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  values: MetricValue[];
  aggregator: Aggregator;
}

export class CounterCell {
  readonly labels: LabelValues;
  value = 0;

  constructor(labels: LabelValues) {
    this.labels = labels;
  }

  inc(amount = 1): void {
    this.value += amount;
  }
}

export class GaugeCell extends CounterCell {
  set(value: number): void {
    this.value = value;
  }

  dec(amount = 1): void {
    this.value -= amount;
  }
}

export class HistogramCell {
  readonly labels: LabelValues;
  /** Upper bounds, ascending, without +Inf. */
  private readonly bounds: readonly number[];
  /** Non-cumulative count per bucket; the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(labels: LabelValues, bounds: readonly number[]) {
    this.labels = labels;
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let index = 0;
    while (index < bounds.length && value > bounds[index]!) index++;
    this.counts[index]!++;
    this.sum += value;
    this.count++;
  }
}

abstract class FastMetric<Cell> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly aggregator: Aggregator;
  protected readonly cells = new Map<string, Cell>();

  constructor(registry: Registry, name: string, help: string, labelNames: readonly string[], aggregator: Aggregator) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this.aggregator = aggregator;
    // prom-client accepts any object with `name` and `get()`; its exposition and AggregatorRegistry read get().
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  protected abstract create(labels: LabelValues): Cell;

  /** The cell for one label tuple (values in `labelNames` order), created once; keep it and increment it directly. */
  labels(...values: string[]): Cell {
    const key = values.length === 0 ? '' : values.join('\u0001');
    let cell = this.cells.get(key);
    if (cell === undefined) {
      if (values.length !== this.labelNames.length) throw new Error(`${this.name} expects ${this.labelNames.length} label values, got ${values.length}`);
      const labels: LabelValues = {};
      this.labelNames.forEach((label, index) => (labels[label] = values[index]!));
      cell = this.create(labels);
      this.cells.set(key, cell);
    }
    return cell;
  }

  abstract get(): Promise<MetricData>;
}

export class FastCounter extends FastMetric<CounterCell> {
  protected create(labels: LabelValues): CounterCell {
    return new CounterCell(labels);
  }

  async get(): Promise<MetricData> {
    const values = [...this.cells.values()].map((cell) => ({ value: cell.value, labels: cell.labels }));
    return { name: this.name, help: this.help, type: 'counter', values, aggregator: this.aggregator };
  }
}

export class FastGauge extends FastMetric<GaugeCell> {
  protected create(labels: LabelValues): GaugeCell {
    return new GaugeCell(labels);
  }

  async get(): Promise<MetricData> {
    const values = [...this.cells.values()].map((cell) => ({ value: cell.value, labels: cell.labels }));
    return { name: this.name, help: this.help, type: 'gauge', values, aggregator: this.aggregator };
  }
}

export class FastHistogram extends FastMetric<HistogramCell> {
  private readonly bounds: readonly number[];
  private readonly boundLabels: readonly string[];

  constructor(registry: Registry, name: string, help: string, labelNames: readonly string[], bounds: readonly number[]) {
    super(registry, name, help, labelNames, 'sum');
    this.bounds = bounds;
    this.boundLabels = [...bounds.map(String), '+Inf'];
  }

  protected create(labels: LabelValues): HistogramCell {
    return new HistogramCell(labels, this.bounds);
  }

  async get(): Promise<MetricData> {
    const values: MetricValue[] = [];
    for (const cell of this.cells.values()) {
      let cumulative = 0;
      for (let index = 0; index < this.boundLabels.length; index++) {
        cumulative += cell.counts[index]!;
        values.push({ value: cumulative, labels: { le: this.boundLabels[index]!, ...cell.labels }, metricName: `${this.name}_bucket` });
      }
      values.push({ value: cell.sum, labels: cell.labels, metricName: `${this.name}_sum` });
      values.push({ value: cell.count, labels: cell.labels, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
  }
}
