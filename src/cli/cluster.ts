// `--num_workers N`: N processes share the port through node:cluster; a worker that dies is replaced. With a control
// process (`--role all`), every worker relays to it and it is stopped after the last worker has drained.
import cluster, { type Worker } from 'node:cluster';
import { logger } from '../logging/logger.js';
import { serveSharedRouterState } from '../router/shared/cluster-backend.js';
import { CONTROL_SOCKET_ENV, type ControlSupervisor } from './control-supervisor.js';

/** A worker that dies sooner than this after starting counts toward the crash-loop back-off. */
const QUICK_DEATH_MS = 5_000;
const MAX_RESTART_DELAY_MS = 10_000;

export function superviseWorkers(count: number, graceMs: number, control: ControlSupervisor | null = null): void {
  let stopping = false;
  let quickDeaths = 0;
  const startedAt = new Map<Worker, number>();
  const workerEnv = control === null ? undefined : { [CONTROL_SOCKET_ENV]: control.socketPath };

  const fork = (): void => {
    const worker = cluster.fork(workerEnv);
    startedAt.set(worker, Date.now());
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) {
      if (startedAt.size === 0) void (control?.stop(graceMs) ?? Promise.resolve()).finally(() => process.exit(0));
      return;
    }
    quickDeaths = lived < QUICK_DEATH_MS ? quickDeaths + 1 : 0;
    const delay = Math.min(MAX_RESTART_DELAY_MS, quickDeaths === 0 ? 0 : 250 * 2 ** (quickDeaths - 1));
    logger.error({ workerPid: worker.process.pid, code, signal, restartInMs: delay }, 'worker exited; starting a replacement');
    process.stderr.write(`sluice: worker ${worker.process.pid} exited (${signal ?? code}); restarting in ${delay} ms\n`);
    setTimeout(fork, delay).unref();
  });

  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    // Workers drain within their grace period, then the control process within its own; give them a little longer.
    setTimeout(() => process.exit(0), (control === null ? 1 : 2) * graceMs + 2_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Config reload: each worker validates and swaps the config itself (a bad config is rejected by all alike).
  process.on('SIGHUP', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGHUP');
    control?.signal('SIGHUP');
  });

  // Workers lease rpm quota and sync routing counters with the primary (unless they share Redis instead).
  serveSharedRouterState();
  for (let index = 0; index < count; index++) fork();
}
