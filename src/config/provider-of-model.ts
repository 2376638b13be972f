// Splits `litellm_params.model` into provider and upstream model, as LiteLLM's get_llm_provider does.
import { isKnownProvider } from '../providers/registry.js';

/** Bare model names LiteLLM routes to OpenAI without a prefix. */
const OPENAI_MODEL_PREFIXES = ['gpt-', 'o1', 'o3', 'o4', 'chatgpt-', 'text-embedding-', 'davinci', 'babbage', 'omni-moderation', 'dall-e', 'whisper', 'tts-'];

export interface ProviderAndModel {
  provider: string;
  model: string;
}

/** Returns null when no provider can be determined; the caller reports the config path. */
export function providerOfModel(model: string, customProvider?: string): ProviderAndModel | null {
  if (customProvider !== undefined && isKnownProvider(customProvider)) {
    const prefix = `${customProvider}/`;
    return { provider: customProvider, model: model.startsWith(prefix) ? model.slice(prefix.length) : model };
  }
  const slash = model.indexOf('/');
  if (slash > 0) {
    const prefix = model.slice(0, slash);
    if (isKnownProvider(prefix)) return { provider: prefix, model: model.slice(slash + 1) };
  }
  if (model === 'mock') return { provider: 'mock', model: 'mock' };
  for (const known of OPENAI_MODEL_PREFIXES) if (model.startsWith(known)) return { provider: 'openai', model };
  return null;
}
