// Starts an in-process gateway with governance (keys, limits, spend, management API) on a given database.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { validateConfigObject } from '../../src/config/load-config.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import { Gateway } from '../../src/dataplane/gateway.js';
import { startGovernance, type Governance } from '../../src/cli/start-governance.js';

export const MASTER_KEY = 'sk-master-governance';
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface GovernedGateway {
  url: string;
  gateway: Gateway;
  governance: Governance;
  /** POSTs (or GETs when body is undefined) a management route with the master key. */
  admin(path: string, body?: unknown, key?: string): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

export function sqliteUrl(): string {
  return `sqlite://${join(mkdtempSync(join(tmpdir(), 'sluice-gov-')), 'sluice.db')}`;
}

/** A fresh Postgres database for one test file; null (skip) when Postgres is unreachable outside CI. */
export async function freshPostgres(label: string): Promise<{ url: string; drop(): Promise<void> } | null> {
  const name = `sluice_${label}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    return null;
  }
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

export async function startGovernedGateway(config: Record<string, unknown>, databaseUrl: string, options: { flushIntervalMs?: number; pollIntervalMs?: number; role?: 'all' | 'data' | 'control'; env?: NodeJS.ProcessEnv } = {}): Promise<GovernedGateway> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, ...options.env };
  delete env.LITELLM_MASTER_KEY;
  const loaded = validateConfigObject(config, env);
  const snapshot = buildSnapshot(loaded.config, env);
  const role = options.role ?? 'all';
  const governance = await startGovernance(snapshot, env, { role, flushIntervalMs: options.flushIntervalMs ?? 200, pollIntervalMs: options.pollIntervalMs ?? 200 });
  const gateway = new Gateway(snapshot, { role, access: governance.access, observers: governance.observers, management: governance.management ?? undefined, ownershipStore: governance.ownership });
  const address = await gateway.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url, gateway, governance,
    async admin(path, body, key = MASTER_KEY) {
      const response = await fetch(`${url}${path}`, body === undefined ? { headers: { authorization: `Bearer ${key}` } } : { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, json: text === '' ? null : JSON.parse(text) };
    },
    async close() {
      await gateway.shutdown(1_000);
      await governance.close(5_000);
    },
  };
}
