// `/health/readiness`: a small registry of probes (database, Redis, …) that other modules add at start-up.
import { VERSION } from '../core/version.js';

export interface ProbeResult {
  /** false makes the gateway not ready (503) when the probe is required. */
  ok: boolean;
  /** What the field shows, LiteLLM-style: "connected", "Not connected", "redis", an error message, … */
  status: string;
}

export type ReadinessProbe = () => ProbeResult | Promise<ProbeResult>;

export interface ProbeOptions {
  /** A failing required probe answers 503 (default true). */
  required?: boolean;
  timeoutMs?: number;
}

interface RegisteredProbe {
  name: string;
  probe: ReadinessProbe;
  required: boolean;
  timeoutMs: number;
}

const probes = new Map<string, RegisteredProbe>();
const DEFAULT_TIMEOUT_MS = 2_000;

/**
 * Adds (or replaces) a probe. `db` and `cache` fill LiteLLM's fields of those names; any other name adds a field.
 * Probes run only when `/health/readiness` is asked, never on the request path.
 */
export function registerReadinessProbe(name: string, probe: ReadinessProbe, options: ProbeOptions = {}): () => void {
  probes.set(name, { name, probe, required: options.required ?? true, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  return () => {
    if (probes.get(name)?.probe === probe) probes.delete(name);
  };
}

async function runProbe(entry: RegisteredProbe): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(entry.probe),
      new Promise<ProbeResult>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, status: `timed out after ${entry.timeoutMs} ms` }), entry.timeoutMs);
      }),
    ]);
  } catch (error) {
    return { ok: false, status: `error: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

export interface ReadinessReport {
  ready: boolean;
  body: string;
}

export async function readinessReport(draining: boolean): Promise<ReadinessReport> {
  const entries = [...probes.values()];
  const results = await Promise.all(entries.map(runProbe));
  const body: Record<string, unknown> = { status: 'healthy', db: 'Not connected', cache: null };
  let ready = !draining;
  entries.forEach((entry, index) => {
    const result = results[index]!;
    body[entry.name] = result.status;
    if (!result.ok && entry.required) ready = false;
  });
  if (draining) body.status = 'shutting down';
  else if (!ready) body.status = 'unhealthy';
  body.litellm_version = VERSION;
  body.sluice_version = VERSION;
  return { ready, body: JSON.stringify(body) };
}
