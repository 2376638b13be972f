// Starts one gateway process: load config, listen, log the address, drain gracefully on SIGTERM.
import cluster from 'node:cluster';
import { Gateway } from '../dataplane/gateway.js';
import { flushLogs, logger } from '../logging/logger.js';
import type { CliOptions } from './args.js';
import { superviseWorkers } from './cluster.js';
import { applyLogSettings, setupObservability, setupPrimaryObservability } from './observability.js';
import { installConfigReload } from './config-reload.js';
import { loadSnapshot } from './load-snapshot.js';
import { governanceWanted, startGovernance } from './start-governance.js';

function graceMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.SLUICE_SHUTDOWN_GRACE_S ?? 30);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 30_000;
}

export async function runGateway(options: CliOptions, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { snapshot, warnings } = loadSnapshot(options.config, env);
  if (cluster.isPrimary) for (const warning of warnings) process.stderr.write(`sluice: warning: ${warning}\n`);
  if (options.numWorkers > 1 && cluster.isPrimary) {
    process.stdout.write(`sluice: starting ${options.numWorkers} workers on port ${options.port}\n`);
    superviseWorkers(options.numWorkers, graceMs(env));
    await setupPrimaryObservability(snapshot, env, options.prometheusMetricsPort, options.host);
    return;
  }
  const observability = await setupObservability(snapshot, env, cluster.isWorker ? null : options.prometheusMetricsPort, options.host);
  const governance = governanceWanted(snapshot, env) ? await startGovernance(snapshot, env, { role: options.role }) : null;
  const gateway = new Gateway(snapshot, {
    role: options.role,
    observers: [...(governance?.observers ?? []), ...observability.observers],
    metrics: observability.metrics,
    ...(governance === null ? {} : { access: governance.access, management: governance.management ?? undefined, ownershipStore: governance.ownership }),
  });
  installConfigReload(options.config, env, options.reload, [gateway], (next) => applyLogSettings(next, env));
  const address = await gateway.listen(options.port, options.host);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const models = snapshot.publicModelNames.length;
  process.stdout.write(`Sluice listening on http://${host}:${address.port} (pid ${process.pid}, role ${options.role}, ${models} model${models === 1 ? '' : 's'})\n`);
  logger.info({ port: address.port, role: options.role, models }, 'listening');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining in-flight requests');
    gateway
      .shutdown(graceMs(env))
      .then(() => governance?.close())
      .then(() => observability.close(graceMs(env)))
      .catch((error: unknown) => logger.error({ err: error }, 'shutdown failed'))
      .finally(() => {
        flushLogs();
        process.exit(0);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
