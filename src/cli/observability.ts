// Wires observability into a gateway process: metrics observer and /metrics source, logs settings, callbacks, metrics port.
import type { IncomingMessage, Server } from 'node:http';
import { SecretMatcher, readApiKey } from '../auth/api-key.js';
import { buildCallbacks } from '../callbacks/callback-registry.js';
import type { CallbackObserver } from '../callbacks/callback-observer.js';
import type { RuntimeSnapshot } from '../config/snapshot.js';
import type { RequestObserver } from '../dataplane/request-outcome.js';
import { configSecrets } from '../logging/config-secrets.js';
import { logger, redactSecrets, setJsonLogs } from '../logging/logger.js';
import { RequestLogObserver } from '../logging/request-log-observer.js';
import { startMetricsServer } from '../metrics/metrics-server.js';
import type { MetricsSource } from '../metrics/metrics-source.js';
import { primaryMetricsSource, sharedTelemetry } from '../metrics/telemetry.js';

export interface Observability {
  observers: RequestObserver[];
  metrics: MetricsSource;
  /** Sends queued callback events, closes the metrics port. */
  close(graceMs: number): Promise<void>;
}

/** Log format and secret scrubbing from the config; also re-applied on reload. */
export function applyLogSettings(snapshot: RuntimeSnapshot, env: NodeJS.ProcessEnv): void {
  const jsonLogs = snapshot.config.litellm_settings.json_logs;
  if (jsonLogs !== undefined && env.JSON_LOGS === undefined) setJsonLogs(jsonLogs);
  redactSecrets(configSecrets(snapshot.config, env));
}

function metricsAuthorizer(snapshot: RuntimeSnapshot): ((req: IncomingMessage) => boolean) | undefined {
  const masterKey = snapshot.settings.masterKey;
  if (!snapshot.settings.requireAuthForMetrics || masterKey === null) return undefined;
  const matcher = new SecretMatcher(masterKey);
  return (req) => {
    const key = readApiKey(req.headers);
    return key !== null && matcher.matches(key);
  };
}

async function serveMetricsPort(source: MetricsSource, port: number | null, host: string, snapshot: RuntimeSnapshot): Promise<Server | null> {
  if (port === null) return null;
  const started = await startMetricsServer(source, port, host, metricsAuthorizer(snapshot));
  process.stdout.write(`Sluice metrics on http://${host}:${started.port}/metrics\n`);
  return started.server;
}

/** In a worker (or the only process): observers for the gateway and the /metrics source. */
export async function setupObservability(snapshot: RuntimeSnapshot, env: NodeJS.ProcessEnv, metricsPort: number | null, host: string): Promise<Observability> {
  applyLogSettings(snapshot, env);
  // Secrets in it are masked by the log destination's scrubber (registered just above).
  if (logger.isLevelEnabled('debug')) logger.debug({ config: snapshot.config }, 'config loaded');
  const telemetry = sharedTelemetry();
  const observers: RequestObserver[] = [];
  if (env.SLUICE_METRICS !== 'off') observers.push(telemetry.observer);
  const settings = snapshot.config.litellm_settings;
  observers.push(new RequestLogObserver(settings.log_raw_request_response === true && settings.turn_off_message_logging !== true));
  const callbacks = buildCallbacks(snapshot.config, env, telemetry.metrics);
  for (const problem of callbacks.problems) logger.warn(problem);
  let callbackObserver: CallbackObserver | null = null;
  if (callbacks.observer !== null) {
    callbackObserver = callbacks.observer;
    observers.push(callbackObserver);
    logger.info({ callbacks: callbacks.names }, 'logging callbacks enabled');
  }
  const server = await serveMetricsPort(telemetry.source, metricsPort, host, snapshot);
  return {
    observers,
    metrics: telemetry.source,
    async close(graceMs) {
      server?.close();
      await callbackObserver?.drain(Math.min(graceMs, 10_000));
    },
  };
}

/** In the primary of a `--num_workers` group: answers workers' scrapes with the group's sum, serves the metrics port. */
export async function setupPrimaryObservability(snapshot: RuntimeSnapshot, env: NodeJS.ProcessEnv, metricsPort: number | null, host: string): Promise<void> {
  applyLogSettings(snapshot, env);
  const source = primaryMetricsSource();
  await serveMetricsPort(source, metricsPort, host, snapshot);
}
