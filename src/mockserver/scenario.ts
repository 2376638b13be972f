// Parses `/mock/k=v,k=v/` path prefixes into per-request scenarios, caching each prefix string once.
import type { Scenario } from './types.js';

export const MOCK_PREFIX = '/mock/';

export const NO_SCENARIO: Scenario = Object.freeze(emptyScenario(''));

/** A prefix that could not be parsed; the server answers it with 400 so typos in test configs surface. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

const MAX_CACHED = 1024;

type Setter = (s: Scenario, value: string) => void;

const SETTERS: ReadonlyMap<string, Setter> = new Map<string, Setter>([
  ['status', (s, v) => (s.status = httpStatus(v))],
  ['retry_after', (s, v) => (s.retryAfter = count(v))],
  ['latency', (s, v) => (s.latency = count(v))],
  ['hang', (s, v) => (s.hang = flag(v))],
  ['drop_after', (s, v) => (s.dropAfter = count(v))],
  ['chunks', (s, v) => (s.chunks = count(v))],
  ['chunk_delay', (s, v) => (s.chunkDelay = count(v))],
  ['error_after', (s, v) => (s.errorAfter = count(v))],
  ['fail_first', (s, v) => (s.failFirst = count(v))],
  ['context_window', (s, v) => (s.contextWindow = flag(v))],
  ['content_policy', (s, v) => (s.contentPolicy = flag(v))],
  ['usage', (s, v) => (s.usage = flag(v))],
  ['truncate', (s, v) => (s.truncate = flag(v))],
]);

/** Caches parsed prefixes; a config-driven test suite reuses a handful of them thousands of times. */
export class ScenarioCache {
  private readonly cache = new Map<string, Scenario | ScenarioError>();

  /** `spec` is the text between `/mock/` and the next `/`, e.g. `status=429,retry_after=2`. */
  get(spec: string): Scenario | ScenarioError {
    let found = this.cache.get(spec);
    if (found === undefined) {
      found = parseScenario(spec);
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(spec, found);
    }
    return found;
  }
}

export function parseScenario(spec: string): Scenario | ScenarioError {
  const scenario = emptyScenario(spec);
  for (const pair of spec.split(',')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '1' : pair.slice(eq + 1);
    const setter = SETTERS.get(key);
    if (setter === undefined) return new ScenarioError(`unknown mock scenario key "${key}"`);
    try {
      setter(scenario, decodeURIComponent(value));
    } catch (err) {
      return new ScenarioError(`mock scenario ${key}: ${(err as Error).message}`);
    }
  }
  return scenario;
}

function emptyScenario(prefix: string): Scenario {
  return {
    prefix,
    status: undefined,
    retryAfter: undefined,
    latency: undefined,
    hang: false,
    dropAfter: undefined,
    chunks: undefined,
    chunkDelay: undefined,
    errorAfter: undefined,
    failFirst: undefined,
    contextWindow: false,
    contentPolicy: false,
    usage: true,
    truncate: false,
  };
}

function count(value: string): number {
  const n = Number(value);
  if (value.length === 0 || !Number.isInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got "${value}"`);
  return n;
}

function httpStatus(value: string): number {
  const n = count(value);
  if (n < 100 || n > 599) throw new Error(`expected an HTTP status, got "${value}"`);
  return n;
}

function flag(value: string): boolean {
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw new Error(`expected 0 or 1, got "${value}"`);
}
