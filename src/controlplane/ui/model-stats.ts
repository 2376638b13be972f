// Recent traffic per deployment for the Models screen: requests, error rate and mean latency over the last hour,
// from the spend log's startTime index (one grouped query, no hot-path state).
import { sql } from 'kysely';
import { encodeRow } from '../../store/codec.js';
import type { Database } from '../../store/database.js';
import { SPEND_LOGS } from '../../store/tables.js';

export interface DeploymentStats {
  readonly requests: number;
  readonly failures: number;
  readonly meanLatencyMs: number | null;
}

export async function recentDeploymentStats(database: Database, windowMs = 3_600_000): Promise<Map<string, DeploymentStats>> {
  const since = encodeRow(SPEND_LOGS, { startTime: new Date(Date.now() - windowMs) }, database.dialect).startTime;
  const rows = await database.db
    .selectFrom(SPEND_LOGS.name)
    .select([
      'model_id',
      sql<number>`COUNT(*)`.as('requests'),
      sql<number>`SUM(CASE WHEN status = 'failure' THEN 1 ELSE 0 END)`.as('failures'),
      sql<number | null>`AVG(request_duration_ms)`.as('latency'),
    ])
    .where('startTime', '>=', since)
    .groupBy('model_id')
    .execute();
  const stats = new Map<string, DeploymentStats>();
  for (const row of rows) {
    stats.set(String(row.model_id ?? ''), { requests: Number(row.requests), failures: Number(row.failures ?? 0), meanLatencyMs: row.latency === null ? null : Math.round(Number(row.latency)) });
  }
  return stats;
}
