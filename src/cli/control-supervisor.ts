// `--role all`: runs the control plane (management API, admin UI) as a child process — the same binary with
// `--role control` on a private unix socket — so its database queries and JSON encoding never run on the data
// plane's event loop. Restarts it when it dies, answers its IPC calls, and stops it with the parent.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logger } from '../logging/logger.js';
import { answerCall, isControlCall, isControlReady, type ControlHandlers } from './control-ipc.js';

/** Env var naming the socket the control child listens on (set for the child and for `--num_workers` workers). */
export const CONTROL_SOCKET_ENV = 'SLUICE_CONTROL_SOCKET';
/** Set (to "1") only in the control child's environment. */
export const CONTROL_CHILD_ENV = 'SLUICE_CONTROL_CHILD';

const QUICK_DEATH_MS = 5_000;
const MAX_RESTART_DELAY_MS = 10_000;
const DEFAULT_NICE = 10;

export interface ControlSupervisorOptions {
  /** Extra CLI arguments after `--role control` (config file, debug, reload). */
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly handlers: ControlHandlers;
  /** The sluice entry script; default dist/cli.js next to this module. */
  readonly entry?: string;
  readonly execArgv?: readonly string[];
}

/** Whether `--role all` should run its control plane in a child (default yes; `SLUICE_CONTROL_PROCESS=0` keeps it in-process). */
export function controlProcessWanted(env: NodeJS.ProcessEnv): boolean {
  return !/^(0|false|no|off)$/i.test(env.SLUICE_CONTROL_PROCESS ?? '');
}

/** Niceness added to the child so that, when cores are short, the data plane gets them first (0 disables). */
function niceOf(env: NodeJS.ProcessEnv): number {
  const value = Number(env.SLUICE_CONTROL_NICE ?? DEFAULT_NICE);
  return Number.isInteger(value) && value >= 0 && value <= 19 ? value : DEFAULT_NICE;
}

/** The parent's Node flags, minus the debugger's (a second process would fight for its port, or wait for it). */
function inheritedExecArgv(): string[] {
  return process.execArgv.filter((arg) => !arg.startsWith('--inspect') && !arg.startsWith('--debug'));
}

function defaultEntry(): string {
  return fileURLToPath(new URL('../cli.js', import.meta.url));
}

export class ControlSupervisor {
  readonly socketPath: string;
  private readonly directory: string;
  private readonly options: ControlSupervisorOptions;
  private child: ChildProcess | null = null;
  private startedAt = 0;
  private quickDeaths = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private up = false;
  private readyWaiters: Array<(ready: boolean) => void> = [];

  constructor(options: ControlSupervisorOptions) {
    this.options = options;
    // A fresh 0700 directory: only this user can reach the socket.
    this.directory = mkdtempSync(join(tmpdir(), 'sluice-control-'));
    this.socketPath = process.platform === 'win32' ? `\\\\.\\pipe\\${this.directory.replace(/[\\/:]/g, '-')}` : join(this.directory, 'control.sock');
    this.spawn();
  }

  /** True between the child's ready message and its exit. */
  get running(): boolean {
    return this.up;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Resolves true once the child listens, false after `timeoutMs` (the relay answers 503 until it is up). */
  waitReady(timeoutMs: number): Promise<boolean> {
    if (this.up) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
      this.readyWaiters.push((ready) => {
        clearTimeout(timer);
        resolve(ready);
      });
    });
  }

  /** Passes SIGHUP (config reload) on. */
  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  private spawn(): void {
    const options = this.options;
    const env = { ...options.env, [CONTROL_CHILD_ENV]: '1', [CONTROL_SOCKET_ENV]: this.socketPath };
    const entry = options.entry ?? defaultEntry();
    if (!existsSync(entry)) throw new Error(`control-plane entry ${entry} not found (build first: npm run build)`);
    // Its own process group (detached): a terminal's Ctrl+C reaches the parent, which drains and then stops the child.
    const child = fork(entry, ['--role', 'control', '--num_workers', '1', ...options.args], {
      env, execArgv: [...(options.execArgv ?? inheritedExecArgv())], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true,
    });
    this.child = child;
    this.startedAt = Date.now();
    const nice = niceOf(options.env);
    if (nice > 0 && child.pid !== undefined) {
      try {
        setPriority(child.pid, nice);
      } catch (error) {
        logger.debug({ err: error }, 'could not lower the control-plane process priority');
      }
    }
    child.on('message', (message: unknown) => this.onMessage(child, message));
    child.on('error', (error) => logger.error({ err: error }, 'control-plane process error'));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
  }

  private onMessage(child: ChildProcess, message: unknown): void {
    if (isControlReady(message)) {
      this.up = true;
      logger.info({ controlPid: message.pid, socket: this.socketPath }, 'control plane ready');
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      for (const wake of waiters) wake(true);
      return;
    }
    if (!isControlCall(message)) return;
    void answerCall(message, this.options.handlers).then((reply) => {
      if (child.connected) child.send(reply);
    });
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.up = false;
    this.child = null;
    if (this.stopping) return;
    const lived = Date.now() - this.startedAt;
    this.quickDeaths = lived < QUICK_DEATH_MS ? this.quickDeaths + 1 : 0;
    const delay = Math.min(MAX_RESTART_DELAY_MS, this.quickDeaths === 0 ? 0 : 250 * 2 ** (this.quickDeaths - 1));
    logger.error({ controlPid: child.pid, code, signal, restartInMs: delay }, 'control-plane process exited; starting a new one');
    process.stderr.write(`sluice: control-plane process ${child.pid} exited (${signal ?? code}); restarting in ${delay} ms\n`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      try {
        this.spawn();
      } catch (error) {
        logger.error({ err: error }, 'could not start the control-plane process; its routes answer 503');
      }
    }, delay);
    this.restartTimer.unref();
  }

  /** SIGTERM (the child drains its own requests), SIGKILL after `graceMs`; removes the socket. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    for (const wake of this.readyWaiters.splice(0)) wake(false);
    const child = this.child;
    if (child !== null && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, graceMs);
      })]);
      clearTimeout(timer);
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}
