// Rate-limited warning for cache failures: a Redis outage must not flood the log (one line per interval).
import { logger } from '../logging/logger.js';

const INTERVAL_MS = 10_000;
let lastLoggedAt = 0;
let suppressed = 0;

export function logCacheFailure(operation: string, error: unknown): void {
  const now = Date.now();
  if (now - lastLoggedAt < INTERVAL_MS) {
    suppressed++;
    return;
  }
  lastLoggedAt = now;
  const message = error instanceof Error ? error.message : String(error);
  logger.warn({ operation, error: message, suppressed }, 'cache unavailable; answering from the provider');
  suppressed = 0;
}
