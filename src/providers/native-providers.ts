// The native wire-protocol adapters and their defaults (base URL, key env vars, parameters they cannot take).
import { AnthropicAdapter } from './anthropic/adapter.js';
import type { ProviderEntry } from './registry.js';

/** OpenAI parameters with no Anthropic equivalent (LiteLLM's get_supported_openai_params for anthropic). */
const ANTHROPIC_UNSUPPORTED = ['frequency_penalty', 'presence_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'n', 'seed'];

export const NATIVE_PROVIDERS: ReadonlyArray<readonly [string, ProviderEntry]> = [
  ['anthropic', {
    adapter: new AnthropicAdapter(),
    defaults: { baseUrl: 'https://api.anthropic.com', apiKeyEnv: ['ANTHROPIC_API_KEY'], apiBaseEnv: 'ANTHROPIC_API_BASE', apiVersionEnv: undefined, requiresApiBase: false, unsupportedParams: ANTHROPIC_UNSUPPORTED },
  }],
];
