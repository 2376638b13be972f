// Opens the governance database (SQLite by default, Postgres for postgres:// URLs) behind one kysely interface.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { nodePostgres } from '../core/optional-modules.js';
import { logger } from '../logging/logger.js';
import { openSqlite } from './sqlite-connection.js';

export type Dialect = 'sqlite' | 'postgres';

/** Rows are dynamic (LiteLLM's tables are wide and may carry extra columns); the codec types them. */
export type Row = Record<string, unknown>;
export type Db = Kysely<Record<string, Row>>;

export interface Database {
  readonly dialect: Dialect;
  readonly db: Db;
  /** Where it points, without credentials (for logs). */
  readonly description: string;
  /** The raw SQLite handle: batches run as one synchronous transaction, never holding the write lock across awaits. */
  readonly sqlite: BetterSqlite3.Database | null;
  /** How another thread opens its own connection here (the spend write thread); null for in-memory SQLite. */
  readonly connectionSpec: ConnectionSpec | null;
  close(): Promise<void>;
}

/** Plain data (it crosses to a worker thread): a SQLite file, or a Postgres URL with its connect timeout. */
export type ConnectionSpec =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'postgres'; readonly url: string; readonly connectionTimeoutMs: number };

export interface DatabaseOptions {
  poolSize?: number;
  connectionTimeoutMs?: number;
}

/** `DATABASE_URL` / `general_settings.database_url` → the database to open; `./sluice.db` when neither is set. */
export function resolveDatabaseUrl(configured: string | undefined, env: NodeJS.ProcessEnv): string {
  return configured ?? env.DATABASE_URL ?? 'sqlite://./sluice.db';
}

function sqlitePath(url: string): string | null {
  if (url.startsWith('sqlite://')) return url.slice('sqlite://'.length) || ':memory:';
  if (url.startsWith('file:')) return url.slice('file:'.length).replace(/^\/\//, '');
  if (url.endsWith('.db') || url.endsWith('.sqlite')) return url;
  return null;
}

export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const connectionTimeoutMs = options.connectionTimeoutMs ?? 5_000;
    const pool = new (nodePostgres().Pool)({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: connectionTimeoutMs });
    // An idle client losing its server must not crash the process: the next query reconnects.
    pool.on('error', (error) => logger.warn({ err: error }, 'database connection lost'));
    // pg-pool listens for errors only on idle clients, and kysely adds no listener to the client a query holds: a
    // connection the server ends mid-query (a restart, a failover, pg_terminate_backend) emitted 'error' with no
    // listener, which crashed the process. The query itself still rejects (and its caller retries or reports it),
    // and the pool drops the broken client when it is released.
    pool.on('connect', (client) => client.on('error', (error) => logger.warn({ err: error }, 'database connection lost during a query')));
    const parsed = new URL(url);
    const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
    return { dialect: 'postgres', db, description: `postgres://${parsed.host}${parsed.pathname}`, sqlite: null, connectionSpec: { dialect: 'postgres', url, connectionTimeoutMs }, close: () => db.destroy() };
  }
  const path = sqlitePath(url);
  if (path === null) throw new Error(`Unsupported database URL (expected postgres://, sqlite:// or file:): ${url.split('@').pop() ?? ''}`);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = openSqlite(path);
  const db: Db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
  // An in-memory database exists only on this connection, so its writes stay on this thread.
  const connectionSpec: ConnectionSpec | null = path === ':memory:' ? null : { dialect: 'sqlite', path: resolve(path) };
  return { dialect: 'sqlite', db, description: `sqlite:${path}`, sqlite, connectionSpec, close: () => db.destroy() };
}
