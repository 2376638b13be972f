// Loads the config (file or built-in defaults) and builds the runtime snapshot, or explains what is wrong.
import { ConfigError } from '../config/config-problem.js';
import { defaultConfigObject } from '../config/default-config.js';
import { loadConfigFile, validateConfigObject, type LoadedConfig } from '../config/load-config.js';
import { buildSnapshot, type RuntimeSnapshot } from '../config/snapshot.js';

export interface LoadedSnapshot {
  snapshot: RuntimeSnapshot;
  warnings: string[];
}

export function loadSnapshot(configFile: string | null, env: NodeJS.ProcessEnv = process.env): LoadedSnapshot {
  const loaded: LoadedConfig = configFile === null ? validateConfigObject(defaultConfigObject(env), env) : loadConfigFile(configFile, env);
  try {
    return { snapshot: buildSnapshot(loaded.config, env), warnings: loaded.warnings };
  } catch (error) {
    if (error instanceof ConfigError && configFile !== null) throw new ConfigError(error.problems, configFile);
    throw error;
  }
}
