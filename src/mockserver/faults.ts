// Decides whether a request fails before reaching its handler: scenario status, fail_first, random faults, canned errors.
import type { MockError, ResolvedOptions, Scenario } from './types.js';

export class FaultPicker {
  private readonly options: ResolvedOptions;
  private readonly failCounts = new Map<string, number>();
  private rngState: number;

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.rngState = options.seed >>> 0;
  }

  /** The error this request gets, if any. Consumes one RNG draw per call when faultRate > 0. */
  pick(scenario: Scenario): MockError | undefined {
    if (this.failsByScenario(scenario)) return statusError(scenario.status ?? 500);
    if (this.options.faultRate > 0 && this.random() < this.options.faultRate) {
      return statusError(this.options.faultStatus);
    }
    if (scenario.contextWindow) return { kind: 'context_window', status: 400, message: undefined };
    if (scenario.contentPolicy) return { kind: 'content_policy', status: 400, message: undefined };
    return undefined;
  }

  /** Seconds for a Retry-After header: the scenario's value, else the server default on 429/503. */
  retryAfter(scenario: Scenario, error: MockError): number | undefined {
    if (scenario.retryAfter !== undefined) return scenario.retryAfter;
    return error.status === 429 || error.status === 503 ? this.options.retryAfter : undefined;
  }

  reset(): void {
    this.failCounts.clear();
    this.rngState = this.options.seed >>> 0;
  }

  /** fail_first=N fails the first N requests per prefix string; a bare status fails every request. */
  private failsByScenario(scenario: Scenario): boolean {
    if (scenario.failFirst === undefined) return scenario.status !== undefined;
    const seen = (this.failCounts.get(scenario.prefix) ?? 0) + 1;
    this.failCounts.set(scenario.prefix, seen);
    return seen <= scenario.failFirst;
  }

  /** mulberry32: tiny, fast and deterministic for a given seed. */
  private random(): number {
    this.rngState = (this.rngState + 0x6d2b79f5) >>> 0;
    let t = this.rngState;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

function statusError(status: number): MockError {
  return { kind: 'status', status, message: undefined };
}
