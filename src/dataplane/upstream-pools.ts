// One undici Pool per upstream origin, with explicit connection limits and keep-alive (the shared transport).
import { createRequire } from 'node:module';
import type { Pool as PoolType } from 'undici';

// Only the Pool: the package index also loads fetch, WebSocket, caches and mocks (~9 MB of heap we never use).
// undici publishes no exports map, so this path is reachable; the lockfile pins the version it was checked on,
// and upstream-pools.test.ts fails if it stops being undici's Pool.
const Pool = createRequire(import.meta.url)('undici/lib/dispatcher/pool.js') as typeof PoolType;
type Pool = PoolType;

export interface PoolSettings {
  connections: number;
  connectTimeoutMs: number;
}

export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  private readonly settings: PoolSettings;

  constructor(settings: PoolSettings) {
    this.settings = settings;
  }

  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: this.settings.connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        connect: { timeout: this.settings.connectTimeoutMs },
        // Per-request timeouts are set on each dispatch from the deployment's `timeout` / `stream_timeout`.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    this.pools.clear();
  }
}
