// The route table, compiled once per role: an exact-path Map plus the Azure-style deployment prefix.
import type { Operation } from '../core/operation.js';
import type { InboundApi } from '../inbound/inbound-call.js';
import { INBOUND_PATHS } from '../inbound/inbound-routes.js';
import { matchPassThrough, type PassThroughProvider } from '../inbound/passthrough/prefixes.js';

export type RouteKind = 'llm' | 'models' | 'model_info' | 'liveliness' | 'readiness' | 'metrics' | 'health' | 'cache_ping' | 'cache_delete' | 'cache_flushall' | 'passthrough';

export interface Route {
  readonly kind: RouteKind;
  readonly method: 'GET' | 'POST';
  readonly operation: Operation;
  /** LLM routes speaking another API than OpenAI chat (/v1/messages, /v1/responses). */
  readonly inbound?: InboundApi;
  /** Provider pass-through routes (`/anthropic/*`, …): any method, body piped unchanged. */
  readonly passThrough?: PassThroughProvider;
}

export type Role = 'all' | 'data' | 'control';

const LLM_PATHS: ReadonlyArray<readonly [string, Operation]> = [
  ['/chat/completions', 'chat'],
  ['/completions', 'completion'],
  ['/embeddings', 'embedding'],
  ['/engines/chat/completions', 'chat'],
];

const AZURE_PREFIX = '/openai/deployments/';
const AZURE_ROUTES: ReadonlyArray<readonly [string, Route]> = [
  ['/chat/completions', { kind: 'llm', method: 'POST', operation: 'chat' }],
  ['/completions', { kind: 'llm', method: 'POST', operation: 'completion' }],
  ['/embeddings', { kind: 'llm', method: 'POST', operation: 'embedding' }],
];

export class RouteTable {
  private readonly exact = new Map<string, Route>();
  private readonly azure: boolean;

  constructor(role: Role) {
    const dataPlane = role !== 'control';
    const controlPlane = role !== 'data';
    const health = (kind: RouteKind): Route => ({ kind, method: 'GET', operation: 'chat' });
    this.exact.set('/health/liveliness', health('liveliness'));
    this.exact.set('/health/liveness', health('liveliness'));
    this.exact.set('/health/readiness', health('readiness'));
    this.exact.set('/metrics', health('metrics'));
    this.exact.set('/metrics/', health('metrics'));
    if (role !== 'control') this.exact.set('/health', health('health'));
    if (dataPlane) {
      for (const [path, operation] of LLM_PATHS) {
        const route: Route = { kind: 'llm', method: 'POST', operation };
        this.exact.set(path, route);
        this.exact.set(`/v1${path}`, route);
      }
      for (const [path, inbound] of INBOUND_PATHS) {
        const route: Route = { kind: 'llm', method: 'POST', operation: 'chat', inbound };
        this.exact.set(path, route);
        this.exact.set(`/v1${path}`, route);
      }
      const models: Route = { kind: 'models', method: 'GET', operation: 'chat' };
      this.exact.set('/models', models);
      this.exact.set('/v1/models', models);
    }
    if (controlPlane) {
      const info: Route = { kind: 'model_info', method: 'GET', operation: 'chat' };
      this.exact.set('/model/info', info);
      this.exact.set('/v1/model/info', info);
      this.exact.set('/cache/ping', { kind: 'cache_ping', method: 'GET', operation: 'chat' });
      this.exact.set('/cache/delete', { kind: 'cache_delete', method: 'POST', operation: 'chat' });
      this.exact.set('/cache/flushall', { kind: 'cache_flushall', method: 'POST', operation: 'chat' });
    }
    this.azure = dataPlane;
  }

  /** Finds the route for a path (query already removed); Azure paths also yield their model. */
  match(path: string): { route: Route; model: string | null } | null {
    const route = this.exact.get(path);
    if (route !== undefined) return { route, model: null };
    if (!this.azure) return null;
    if (!path.startsWith(AZURE_PREFIX)) return matchPassThrough(path);
    for (const [suffix, azureRoute] of AZURE_ROUTES) {
      if (!path.endsWith(suffix)) continue;
      const model = path.slice(AZURE_PREFIX.length, path.length - suffix.length);
      if (model === '' || model.includes('/')) return null;
      try {
        return { route: azureRoute, model: decodeURIComponent(model) };
      } catch {
        return null;
      }
    }
    return null;
  }
}
