// Where a `/metrics` scrape gets its text: this process's registry, or the whole process group via the primary.
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

const REQUEST = 'sluice:metrics-req';
const RESPONSE = 'sluice:metrics-res';
const IPC_TIMEOUT_MS = 5_000;

interface MetricsMessage {
  type: string;
  id: number;
  text?: string;
  error?: string;
}

function isMetricsMessage(message: unknown): message is MetricsMessage {
  return typeof message === 'object' && message !== null && typeof (message as MetricsMessage).type === 'string' && typeof (message as MetricsMessage).id === 'number';
}

/** One process: the registry itself. */
export class LocalMetricsSource implements MetricsSource {
  private readonly registry: Registry;

  constructor(registry: Registry) {
    this.registry = registry;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** The primary of a `--num_workers` group: asks every worker for its registry and sums them (prom-client's aggregator). */
export class ClusterMetricsSource implements MetricsSource {
  private readonly aggregator = new AggregatorRegistry();

  constructor() {
    // Workers scraped on the shared port ask the primary, which answers with the whole group's numbers.
    cluster.on('message', (worker, message: unknown) => {
      if (!isMetricsMessage(message) || message.type !== REQUEST) return;
      this.render().then(
        (text) => worker.isConnected() && worker.send({ type: RESPONSE, id: message.id, text }),
        (error: unknown) => worker.isConnected() && worker.send({ type: RESPONSE, id: message.id, error: (error as Error).message }),
      );
    });
  }

  get contentType(): string {
    return this.aggregator.contentType;
  }

  render(): Promise<string> {
    return this.aggregator.clusterMetrics();
  }
}

interface Pending {
  resolve(text: string): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** A worker of the group: answers the primary's collection requests and forwards its own scrapes to the primary. */
export class WorkerMetricsSource implements MetricsSource {
  private readonly registry: Registry;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(registry: Registry) {
    this.registry = registry;
    AggregatorRegistry.setRegistries([registry]);
    // Constructing one installs prom-client's worker-side listener that serves the primary's collection requests.
    new AggregatorRegistry();
    process.on('message', (message: unknown) => {
      if (!isMetricsMessage(message) || message.type !== RESPONSE) return;
      const waiter = this.pending.get(message.id);
      if (waiter === undefined) return;
      this.pending.delete(message.id);
      clearTimeout(waiter.timer);
      if (message.error !== undefined) waiter.reject(new Error(message.error));
      else waiter.resolve(message.text ?? '');
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    if (process.send === undefined) return this.registry.metrics();
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('the primary process did not answer the metrics request in time'));
      }, IPC_TIMEOUT_MS);
      timer.unref();
      this.pending.set(id, { resolve, reject, timer });
      process.send!({ type: REQUEST, id });
    });
  }
}
