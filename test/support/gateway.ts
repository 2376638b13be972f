// Starts gateways for tests: in-process from a config object, or as the real CLI in a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { validateConfigObject } from '../../src/config/load-config.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import { Gateway, type GatewayOptions } from '../../src/dataplane/gateway.js';

export const CLI_PATH = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface RunningGateway {
  url: string;
  port: number;
  gateway: Gateway;
  close(): Promise<void>;
}

export async function startGateway(config: Record<string, unknown>, options: Partial<GatewayOptions> = {}, env: NodeJS.ProcessEnv = { ...process.env }): Promise<RunningGateway> {
  const loaded = validateConfigObject(config, env);
  const gateway = new Gateway(buildSnapshot(loaded.config, env), { role: 'all', ...options });
  const address = await gateway.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    gateway,
    close: () => gateway.shutdown(1_000),
  };
}

export interface RunningCli {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns `node dist/cli.js ARGS` and resolves once it prints its listening line (or rejects with its output). */
export async function startCli(args: string[], env: NodeJS.ProcessEnv = {}, readyPattern = /listening on http:\/\/[^:]+:(\d+)/): Promise<RunningCli> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { env: { ...process.env, SLUICE_LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start in time:\n${output}`)), 15_000);
    const check = (): void => {
      const found = readyPattern.exec(output);
      if (found !== null) {
        clearTimeout(timer);
        resolve(Number(found[1]));
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** Runs the CLI to completion (for --validate_config, --version, bad configs). */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { env: { ...process.env, SLUICE_LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** A free port for the CLI, found by binding port 0 briefly. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
