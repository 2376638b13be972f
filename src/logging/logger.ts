// Structured JSON logs via pino, written asynchronously so logging never blocks the hot path; secrets redacted.
import pino from 'pino';

export type Logger = pino.Logger;

const REDACT_PATHS = [
  'api_key', '*.api_key', '*.*.api_key', 'master_key', '*.master_key', 'authorization', '*.authorization',
  'headers.authorization', "headers['x-api-key']", "headers['api-key']", 'aws_secret_access_key', '*.aws_secret_access_key',
  'vertex_credentials', '*.vertex_credentials', 'password', '*.password', 'key', '*.key', 'token', '*.token',
];

function levelFromEnv(): pino.LevelWithSilent {
  const level = process.env.SLUICE_LOG_LEVEL ?? process.env.LITELLM_LOG;
  const normalized = level?.toLowerCase();
  if (normalized === 'silent' || normalized === 'trace' || normalized === 'debug' || normalized === 'info' || normalized === 'warn' || normalized === 'error' || normalized === 'fatal') return normalized;
  return 'info';
}

function createLogger(): Logger {
  const destination = pino.destination({ fd: 2, sync: false, minLength: 4096 });
  return pino(
    { level: levelFromEnv(), base: { pid: process.pid }, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' }, timestamp: pino.stdTimeFunctions.isoTime },
    destination,
  );
}

export const logger: Logger = createLogger();

/** `--detailed_debug` turns on debug logs for this process (and its workers, through the environment). */
export function enableDebugLogging(): void {
  logger.level = 'debug';
  process.env.SLUICE_LOG_LEVEL = 'debug';
}

/** Flushes buffered log lines; called before exit so the last lines are not lost. */
export function flushLogs(): void {
  logger.flush();
}
