// Maps a provider id (`openai`, `groq`, `azure`, …) to its adapter and defaults; built once at import.
import type { ProviderAdapter } from '../core/provider-contract.js';
import { AzureAdapter } from './azure/adapter.js';
import { OpenAICompatibleAdapter } from './openai-compatible/adapter.js';
import { OPENAI_COMPATIBLE_VENDORS } from './openai-compatible/catalog.js';
import { NATIVE_PROVIDERS } from './native-providers.js';

export interface ProviderDefaults {
  baseUrl: string;
  apiKeyEnv: readonly string[];
  apiBaseEnv: string | undefined;
  apiVersionEnv: string | undefined;
  requiresApiBase: boolean;
  unsupportedParams: readonly string[];
  /** Provider-specific `litellm_params` the adapter reads (vertex_*, aws_*), with env fallbacks. */
  paramEnv?: Readonly<Record<string, readonly string[]>>;
}

export interface ProviderEntry {
  adapter: ProviderAdapter;
  defaults: ProviderDefaults;
}

/** The in-process mock answers locally; it has no adapter and no network. */
export const MOCK_PROVIDER = 'mock';

const entries = new Map<string, ProviderEntry>();

for (const vendor of OPENAI_COMPATIBLE_VENDORS) {
  entries.set(vendor.id, {
    adapter: new OpenAICompatibleAdapter(vendor.id, vendor.auth),
    defaults: {
      baseUrl: vendor.baseUrl,
      apiKeyEnv: vendor.apiKeyEnv,
      apiBaseEnv: vendor.apiBaseEnv,
      apiVersionEnv: undefined,
      requiresApiBase: vendor.quirks.requiresApiBase === true,
      unsupportedParams: vendor.quirks.unsupportedParams ?? [],
    },
  });
}

entries.set('azure', {
  adapter: new AzureAdapter(),
  defaults: {
    baseUrl: '',
    apiKeyEnv: ['AZURE_API_KEY', 'AZURE_OPENAI_API_KEY'],
    apiBaseEnv: 'AZURE_API_BASE',
    apiVersionEnv: 'AZURE_API_VERSION',
    requiresApiBase: true,
    unsupportedParams: [],
  },
});

// Native wire protocols (Anthropic, Gemini/Vertex, Bedrock, Cohere, Ollama) replace any catalog row of the same id.
for (const [id, entry] of NATIVE_PROVIDERS) entries.set(id, entry);

export function findProvider(id: string): ProviderEntry | undefined {
  return entries.get(id);
}

export function isKnownProvider(id: string): boolean {
  return id === MOCK_PROVIDER || entries.has(id);
}

/** Registers a native adapter (Anthropic, Gemini, …) under its provider id. */
export function registerProvider(id: string, entry: ProviderEntry): void {
  entries.set(id, entry);
}

export function providerIds(): string[] {
  return [MOCK_PROVIDER, ...entries.keys()];
}
