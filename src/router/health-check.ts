// `GET /health`: a tiny real call (max_tokens 1) per deployment, on demand or in the background every interval.
import { request } from 'undici';
import type { Deployment } from '../config/deployment.js';
import type { RuntimeSnapshot } from '../config/snapshot.js';
import type { JsonObject } from '../core/json.js';
import { logger } from '../logging/logger.js';

export interface HealthEndpoint {
  model: string;
  model_name: string;
  model_id: string;
  api_base: string | null;
  error?: string;
}

export interface HealthReport {
  healthy_endpoints: HealthEndpoint[];
  unhealthy_endpoints: HealthEndpoint[];
  healthy_count: number;
  unhealthy_count: number;
}

/** A health call never waits longer than this, whatever the deployment's own timeout. */
const MAX_CHECK_MS = 30_000;
const DEFAULT_INTERVAL_SECONDS = 300;

function probeBody(deployment: Deployment): { operation: 'chat' | 'embedding'; body: JsonObject } {
  if (deployment.modelInfo.mode === 'embedding') return { operation: 'embedding', body: { model: deployment.upstreamModel, input: 'ping' } };
  return { operation: 'chat', body: { model: deployment.upstreamModel, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 } };
}

async function checkOne(deployment: Deployment): Promise<string | null> {
  const adapter = deployment.adapter;
  const prepared = deployment.prepared;
  if (adapter === null || prepared === null || deployment.mockResponse !== null) return null;
  const { operation, body } = probeBody(deployment);
  const upstream = adapter.buildRequest(operation, body, prepared);
  await adapter.authorize?.(upstream, prepared);
  const timeout = Math.min(deployment.timeoutMs, MAX_CHECK_MS);
  const response = await request(`${upstream.origin}${upstream.path}`, { method: upstream.method, headers: upstream.headers, body: upstream.body, headersTimeout: timeout, bodyTimeout: timeout });
  const text = await response.body.text();
  if (response.statusCode < 400) return null;
  return adapter.mapError(response.statusCode, text, response.headers).message;
}

function endpointOf(deployment: Deployment): HealthEndpoint {
  return { model: deployment.params.model, model_name: deployment.modelGroup, model_id: deployment.id, api_base: deployment.apiBase === '' ? null : deployment.apiBase };
}

export class HealthChecker {
  private readonly deployments: Deployment[] = [];
  private latest: HealthReport | null = null;
  /** When the last round finished (`Date.now()`), 0 before the first. */
  private latestAt = 0;
  private running: Promise<HealthReport> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(snapshot: RuntimeSnapshot) {
    const seen = new Set<string>();
    for (const group of snapshot.groups.values()) {
      for (const deployment of group.deployments) {
        if (seen.has(deployment.id)) continue;
        seen.add(deployment.id);
        this.deployments.push(deployment);
      }
    }
    const general = snapshot.config.general_settings;
    if (general.background_health_checks === true) {
      const intervalMs = (general.health_check_interval ?? DEFAULT_INTERVAL_SECONDS) * 1000;
      void this.run();
      this.timer = setInterval(() => void this.run(), intervalMs);
      this.timer.unref();
    }
  }

  /** Background mode: the last finished round (or the first one, awaited). Otherwise a fresh round. */
  report(): Promise<HealthReport> {
    if (this.timer !== null && this.latest !== null) return Promise.resolve(this.latest);
    return this.run();
  }

  private run(): Promise<HealthReport> {
    this.running ??= this.checkAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async checkAll(): Promise<HealthReport> {
    const results = await Promise.all(this.deployments.map((deployment) => checkOne(deployment).catch((error: unknown) => (error as Error).message || String(error))));
    const report: HealthReport = { healthy_endpoints: [], unhealthy_endpoints: [], healthy_count: 0, unhealthy_count: 0 };
    results.forEach((error, index) => {
      const endpoint = endpointOf(this.deployments[index]!);
      if (error === null) report.healthy_endpoints.push(endpoint);
      else report.unhealthy_endpoints.push({ ...endpoint, error });
    });
    report.healthy_count = report.healthy_endpoints.length;
    report.unhealthy_count = report.unhealthy_endpoints.length;
    if (report.unhealthy_count > 0) logger.warn({ unhealthy: report.unhealthy_endpoints.map((endpoint) => endpoint.model_id) }, 'health check found unhealthy deployments');
    this.latest = report;
    this.latestAt = Date.now();
    return report;
  }

  /** The last finished round (background or on demand) and when it finished; never starts one. */
  lastReport(): { report: HealthReport; at: number } | null {
    return this.latest === null ? null : { report: this.latest, at: this.latestAt };
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }
}
