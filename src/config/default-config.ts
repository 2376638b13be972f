// The config used without --config: the built-in `mock` model plus a wildcard route per provider key in the env.
import { providerIds, findProvider } from '../providers/registry.js';

export interface RawConfig {
  model_list: Array<{ model_name: string; litellm_params: { model: string } }>;
}

/** `OPENAI_API_KEY` → `openai/*`, `GROQ_API_KEY` → `groq/*`, …; one route per key variable. */
export function defaultConfigObject(env: NodeJS.ProcessEnv): RawConfig {
  const modelList: RawConfig['model_list'] = [{ model_name: 'mock', litellm_params: { model: 'mock/mock' } }];
  const claimedEnv = new Set<string>();
  for (const id of providerIds()) {
    const entry = findProvider(id);
    if (entry === undefined || entry.defaults.requiresApiBase || entry.defaults.baseUrl === '') continue;
    const keyVar = entry.defaults.apiKeyEnv.find((name) => env[name] !== undefined && env[name] !== '');
    if (keyVar === undefined || claimedEnv.has(keyVar)) continue;
    claimedEnv.add(keyVar);
    modelList.push({ model_name: `${id}/*`, litellm_params: { model: `${id}/*` } });
  }
  return { model_list: modelList };
}
