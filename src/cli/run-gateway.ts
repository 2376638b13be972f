// Starts one gateway process: load config, listen, log the address, drain gracefully on SIGTERM. Under `--role all`
// with governance, the control plane runs in a child process (control-supervisor.ts) that this one relays to.
import cluster from 'node:cluster';
import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { controlPlanePaths } from '../controlplane/control-paths.js';
import { ControlPlaneProxy } from '../dataplane/control-plane-proxy.js';
import { Gateway } from '../dataplane/gateway.js';
import { registerReadinessProbe } from '../health/readiness-probes.js';
import { flushLogs, logger } from '../logging/logger.js';
import type { CliOptions } from './args.js';
import { superviseWorkers } from './cluster.js';
import { applyLogSettings, setupObservability, setupPrimaryObservability } from './observability.js';
import { installConfigReload } from './config-reload.js';
import type { ControlHandlers } from './control-ipc.js';
import { ControlChildLink, dataPlaneHandlers, primaryControlHandlers, serveControlCalls } from './control-link.js';
import { CONTROL_CHILD_ENV, CONTROL_SOCKET_ENV, ControlSupervisor, controlProcessWanted } from './control-supervisor.js';
import { loadSnapshot } from './load-snapshot.js';
import { governanceWanted, startGovernance, type Governance } from './start-governance.js';

/** How long start-up waits for the control child before listening anyway (its paths answer 503 until it is up). */
const CONTROL_READY_TIMEOUT_MS = 30_000;

function graceMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.SLUICE_SHUTDOWN_GRACE_S ?? 30);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 30_000;
}

/** The flags the control child needs from ours (it listens on its socket, so no port, host or worker count). */
function controlChildArgs(options: CliOptions): string[] {
  const args: string[] = [];
  if (options.config !== null) args.push('--config', options.config);
  if (options.detailedDebug) args.push('--detailed_debug');
  if (options.reload) args.push('--reload');
  return args;
}

async function startControlChild(options: CliOptions, env: NodeJS.ProcessEnv, handlers: ControlHandlers): Promise<ControlSupervisor> {
  const control = new ControlSupervisor({ args: controlChildArgs(options), env, handlers });
  if (await control.waitReady(CONTROL_READY_TIMEOUT_MS)) {
    process.stdout.write(`Sluice control plane (management API, UI) in process ${control.pid} (pid ${process.pid} relays to it)\n`);
  } else {
    logger.error({ timeoutMs: CONTROL_READY_TIMEOUT_MS }, 'control-plane process not ready; its routes answer 503 until it is');
  }
  return control;
}

function onShutdownSignals(stop: (signal: string) => void): void {
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

export async function runGateway(options: CliOptions, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env[CONTROL_CHILD_ENV] === '1' && process.send !== undefined) return runControlChild(options, env);
  const { snapshot, warnings } = loadSnapshot(options.config, env);
  if (cluster.isPrimary) for (const warning of warnings) process.stderr.write(`sluice: warning: ${warning}\n`);
  const separateControl = options.role === 'all' && governanceWanted(snapshot, env) && controlProcessWanted(env);
  if (options.numWorkers > 1 && cluster.isPrimary) {
    process.stdout.write(`sluice: starting ${options.numWorkers} workers on port ${options.port}\n`);
    // One control process for the group, started first so the workers' relays find it listening.
    const control = separateControl ? await startControlChild(options, env, primaryControlHandlers()) : null;
    superviseWorkers(options.numWorkers, graceMs(env), control);
    await setupPrimaryObservability(snapshot, env, options.prometheusMetricsPort, options.host);
    return;
  }
  const observability = await setupObservability(snapshot, env, cluster.isWorker ? null : options.prometheusMetricsPort, options.host);
  // A worker relays to the primary's control process when the primary started one (it names the socket).
  const relaySocket = cluster.isWorker ? (env[CONTROL_SOCKET_ENV] ?? null) : null;
  let gateway: Gateway | null = null;
  const routerStatus = (): Promise<ReturnType<Gateway['routerStatus']>[]> => Promise.resolve(gateway === null ? [] : [gateway.routerStatus()]);
  const starting = governanceWanted(snapshot, env)
    ? startGovernance(snapshot, env, { role: options.role, serveManagement: !separateControl && relaySocket === null, routerStatus })
    : Promise.resolve(null);
  // Awaits start-up, so a change announced while this process is still loading is not lost.
  const handlers = dataPlaneHandlers(async () => (await starting)?.state ?? null, () => gateway?.routerStatus() ?? null);
  if (relaySocket !== null) serveControlCalls(handlers);
  const governance = await starting;
  const control = separateControl && relaySocket === null ? await startControlChild(options, env, handlers) : null;
  const socket = control?.socketPath ?? relaySocket;
  const proxy = socket === null ? null : new ControlPlaneProxy(socket, controlPlanePaths());
  gateway = new Gateway(snapshot, {
    role: options.role,
    observers: [...(governance?.observers ?? []), ...observability.observers],
    metrics: observability.metrics,
    ...(governance === null ? {} : { access: governance.access, ownershipStore: governance.ownership }),
    ...(proxy !== null ? { management: proxy } : governance?.management ? { management: governance.management } : {}),
  });
  const unregisterProbe = control === null ? null : registerReadinessProbe('control_plane', () => ({ ok: true, status: control.running ? 'running' : 'restarting' }), { required: false });
  installConfigReload(options.config, env, options.reload, [gateway], (next) => applyLogSettings(next, env));
  if (control !== null) process.on('SIGHUP', () => control.signal('SIGHUP'));
  const address = await gateway.listen(options.port, options.host);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const models = snapshot.publicModelNames.length;
  process.stdout.write(`Sluice listening on http://${host}:${address.port} (pid ${process.pid}, role ${options.role}, ${models} model${models === 1 ? '' : 's'})\n`);
  logger.info({ port: address.port, role: options.role, models }, 'listening');

  const running = gateway;
  let stopping = false;
  onShutdownSignals((signal) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining in-flight requests');
    running
      .shutdown(graceMs(env))
      // Relayed management calls drained with the data plane; now the control child drains and stops.
      .then(() => control?.stop(graceMs(env)))
      .then(() => proxy?.close())
      .then(() => unregisterProbe?.())
      .then(() => governance?.close())
      .then(() => observability.close(graceMs(env)))
      .catch((error: unknown) => logger.error({ err: error }, 'shutdown failed'))
      .finally(() => {
        flushLogs();
        process.exit(0);
      });
  });
}

/** The control child: `--role control` on the socket its parent chose; changes are confirmed by the parent before answering. */
async function runControlChild(options: CliOptions, env: NodeJS.ProcessEnv): Promise<void> {
  const { snapshot } = loadSnapshot(options.config, env);
  applyLogSettings(snapshot, env);
  const link = new ControlChildLink();
  const governance: Governance = await startGovernance(snapshot, env, { role: 'control', announce: link.announce, routerStatus: link.routerStatus });
  const gateway = new Gateway(snapshot, { role: 'control', access: governance.access, ...(governance.management === null ? {} : { management: governance.management }) });
  installConfigReload(options.config, env, options.reload, [gateway], (next) => applyLogSettings(next, env));
  const socket = env[CONTROL_SOCKET_ENV]!;
  // A socket file left by a predecessor that was killed would make listen fail.
  if (process.platform !== 'win32') rmSync(socket, { force: true });
  await gateway.listenPath(socket);
  link.ready();
  logger.info({ socket }, 'control plane listening');

  let stopping = false;
  const stop = (reason: string, orphaned: boolean): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'control plane draining');
    gateway
      .shutdown(graceMs(env))
      .then(() => governance.close())
      .then(() => {
        // A parent that died cannot remove its private socket directory.
        if (orphaned && basename(dirname(socket)).startsWith('sluice-control-')) rmSync(dirname(socket), { recursive: true, force: true });
      })
      .catch((error: unknown) => logger.error({ err: error }, 'control-plane shutdown failed'))
      .finally(() => {
        flushLogs();
        process.exit(0);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM', false));
  // The parent decides when this process ends: it sends SIGTERM after draining, or its channel closes when it dies.
  process.on('SIGINT', () => undefined);
  process.on('disconnect', () => stop('parent process gone', true));
}
