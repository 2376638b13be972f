// Starts an in-process gateway with governance (keys, limits, spend, management API) on a given database. Role
// `all` runs as the CLI does: the control plane in a child process (dist/cli.js --role control) this one relays to.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { validateConfigObject } from '../../src/config/load-config.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import { Gateway } from '../../src/dataplane/gateway.js';
import { startGovernance, type Governance } from '../../src/cli/start-governance.js';
import { dataPlaneHandlers } from '../../src/cli/control-link.js';
import { ControlSupervisor } from '../../src/cli/control-supervisor.js';
import { controlPlanePaths } from '../../src/controlplane/control-paths.js';
import { ControlPlaneProxy } from '../../src/dataplane/control-plane-proxy.js';
import { CLI_PATH } from './gateway.js';

export const MASTER_KEY = 'sk-master-governance';
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface GovernedGateway {
  url: string;
  gateway: Gateway;
  governance: Governance;
  /** The control-plane child (role `all` unless `controlPlane: 'in-process'`). */
  control: ControlSupervisor | null;
  /** POSTs (or GETs when body is undefined) a management route with the master key. */
  admin(path: string, body?: unknown, key?: string): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

export function sqliteUrl(): string {
  return `sqlite://${join(mkdtempSync(join(tmpdir(), 'sluice-gov-')), 'sluice.db')}`;
}

/** A connected client on PG_ADMIN_URL; null when Postgres is unreachable outside CI; throws under CI=true. */
export async function postgresAdmin(): Promise<pg.Client | null> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    return admin;
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    return null;
  }
}

/** A fresh Postgres database for one test file; null (skip) when Postgres is unreachable outside CI. */
export async function freshPostgres(label: string): Promise<{ url: string; drop(): Promise<void> } | null> {
  const name = `sluice_${label}_${process.pid}_${Date.now().toString(36)}`;
  const admin = await postgresAdmin();
  if (admin === null) return null;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    async drop() {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface GovernedGatewayOptions {
  flushIntervalMs?: number;
  pollIntervalMs?: number;
  role?: 'all' | 'data' | 'control';
  env?: NodeJS.ProcessEnv;
  /** Role `all` only: where the management API and UI run (default: a child process, as the CLI runs them). */
  controlPlane?: 'process' | 'in-process';
}

export async function startGovernedGateway(config: Record<string, unknown>, databaseUrl: string, options: GovernedGatewayOptions = {}): Promise<GovernedGateway> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, ...options.env };
  delete env.LITELLM_MASTER_KEY;
  const loaded = validateConfigObject(config, env);
  const snapshot = buildSnapshot(loaded.config, env);
  const role = options.role ?? 'all';
  const separate = role === 'all' && options.controlPlane !== 'in-process';
  let gateway: Gateway | null = null;
  const routerStatus = () => Promise.resolve(gateway === null ? [] : [gateway.routerStatus()]);
  const governance = await startGovernance(snapshot, env, { role, flushIntervalMs: options.flushIntervalMs ?? 200, pollIntervalMs: options.pollIntervalMs ?? 200, serveManagement: !separate, routerStatus });
  let control: ControlSupervisor | null = null;
  if (separate) {
    const configPath = join(mkdtempSync(join(tmpdir(), 'sluice-gov-config-')), 'config.yaml');
    writeFileSync(configPath, JSON.stringify(config));
    control = new ControlSupervisor({
      entry: CLI_PATH, execArgv: [], args: ['--config', configPath], env,
      handlers: dataPlaneHandlers(async () => governance.state, () => gateway?.routerStatus() ?? null),
    });
    if (!(await control.waitReady(30_000))) throw new Error('the control-plane child did not start (is dist/ built?)');
  }
  const management = control === null ? governance.management ?? undefined : new ControlPlaneProxy(control.socketPath, controlPlanePaths());
  gateway = new Gateway(snapshot, { role, access: governance.access, observers: governance.observers, management, ownershipStore: governance.ownership });
  const address = await gateway.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}`;
  const running = gateway;
  return {
    url, gateway: running, governance, control,
    async admin(path, body, key = MASTER_KEY) {
      const response = await fetch(`${url}${path}`, body === undefined ? { headers: { authorization: `Bearer ${key}` } } : { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, json: text === '' ? null : JSON.parse(text) };
    },
    async close() {
      await running.shutdown(1_000);
      await control?.stop(5_000);
      if (management instanceof ControlPlaneProxy) await management.close();
      await governance.close(5_000);
    },
  };
}
