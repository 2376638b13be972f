// Config reload without restart: SIGHUP (and `--reload` watching the file) validates the new config and swaps it in.
import { unwatchFile, watchFile } from 'node:fs';
import { ConfigError } from '../config/config-problem.js';
import type { RuntimeSnapshot } from '../config/snapshot.js';
import { logger } from '../logging/logger.js';
import { loadSnapshot } from './load-snapshot.js';

export interface ReloadTarget {
  reload(snapshot: RuntimeSnapshot): void;
}

const WATCH_INTERVAL_MS = 500;

/** Loads and validates the file; on success swaps it into every target, on failure logs every problem and keeps the old one. */
export function reloadConfig(configFile: string | null, env: NodeJS.ProcessEnv, targets: readonly ReloadTarget[], onApplied?: (snapshot: RuntimeSnapshot) => void): boolean {
  let snapshot: RuntimeSnapshot;
  try {
    const loaded = loadSnapshot(configFile, env);
    snapshot = loaded.snapshot;
    for (const warning of loaded.warnings) logger.warn({ warning }, 'config warning');
  } catch (error) {
    const problems = error instanceof ConfigError ? error.message : (error as Error).message;
    logger.error({ file: configFile, problems }, 'config reload rejected; keeping the running config');
    process.stderr.write(`sluice: config reload rejected, keeping the running config:\n${problems}\n`);
    return false;
  }
  for (const target of targets) target.reload(snapshot);
  onApplied?.(snapshot);
  logger.info({ file: configFile, models: snapshot.publicModelNames.length }, 'config reloaded');
  process.stdout.write(`sluice: config reloaded (${snapshot.publicModelNames.length} models, pid ${process.pid})\n`);
  return true;
}

/** Installs the SIGHUP handler and, with `watch`, a file watcher; returns a function that removes both. */
export function installConfigReload(configFile: string | null, env: NodeJS.ProcessEnv, watch: boolean, targets: readonly ReloadTarget[], onApplied?: (snapshot: RuntimeSnapshot) => void): () => void {
  const reload = (): void => void reloadConfig(configFile, env, targets, onApplied);
  process.on('SIGHUP', reload);
  const watching = watch && configFile !== null;
  const onChange = (current: { mtimeMs: number }, previous: { mtimeMs: number }): void => {
    if (current.mtimeMs !== previous.mtimeMs) reload();
  };
  if (watching) watchFile(configFile, { interval: WATCH_INTERVAL_MS, persistent: false }, onChange);
  return () => {
    process.off('SIGHUP', reload);
    if (watching) unwatchFile(configFile, onChange);
  };
}
