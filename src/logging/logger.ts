// Structured JSON logs via pino, written asynchronously so logging never blocks the hot path; secrets redacted.
import pino from 'pino';
import { LogDestination } from './log-destination.js';

export type Logger = pino.Logger;

const REDACT_PATHS = [
  'api_key', '*.api_key', '*.*.api_key', 'master_key', '*.master_key', 'authorization', '*.authorization',
  'headers.authorization', "headers['x-api-key']", "headers['api-key']", "headers['x-goog-api-key']", "headers['x-litellm-api-key']",
  "*.headers['x-api-key']", '*.headers.authorization', 'aws_secret_access_key', '*.aws_secret_access_key', 'aws_session_token', '*.aws_session_token',
  'vertex_credentials', '*.vertex_credentials', 'password', '*.password', 'key', '*.key', 'token', '*.token', 'database_url', '*.database_url',
];

function levelFromEnv(): pino.LevelWithSilent {
  const level = process.env.SLUICE_LOG_LEVEL ?? process.env.LITELLM_LOG;
  const normalized = level?.toLowerCase();
  if (normalized === 'silent' || normalized === 'trace' || normalized === 'debug' || normalized === 'info' || normalized === 'warn' || normalized === 'error' || normalized === 'fatal') return normalized;
  return 'info';
}

const destination = new LogDestination(pino.destination({ fd: 2, sync: false, minLength: 4096 }));
if (process.env.JSON_LOGS !== undefined) destination.setJson(/^(1|true|yes)$/i.test(process.env.JSON_LOGS));

function createLogger(): Logger {
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

/** `litellm_settings.json_logs` (env `JSON_LOGS`): false prints compact human lines instead of JSON. */
export function setJsonLogs(json: boolean): void {
  destination.setJson(json);
}

/** Exact secret strings (provider keys, master key) masked in every log line, whatever field or message holds them. */
export function redactSecrets(values: readonly string[]): void {
  destination.addSecrets(values);
}

/** Flushes buffered log lines; called before exit so the last lines are not lost. */
export function flushLogs(): void {
  destination.flush();
}
