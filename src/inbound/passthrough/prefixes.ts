// The provider pass-through prefixes (`/anthropic/*`, …) as routes, and how each provider is authenticated.
import type { Route } from '../../dataplane/routes.js';

export type PassThroughAuth = 'bearer' | 'x-api-key' | 'api-key' | 'x-goog-api-key' | 'sigv4' | 'none';

export interface PassThroughProvider {
  /** The prefix without slashes, and the provider id of `litellm_params.model` deployments it borrows credentials from. */
  readonly id: string;
  /** Other provider ids whose deployments also qualify (e.g. `cohere_chat`). */
  readonly aliases: readonly string[];
  /** Used when neither a deployment nor the environment names a base URL. */
  readonly defaultBase: string;
  readonly baseEnv: readonly string[];
  readonly keyEnv: readonly string[];
  readonly auth: PassThroughAuth;
  /** Path suffixes a configured `api_base` may carry that the provider's own paths already include. */
  readonly stripSuffixes: readonly string[];
}

export const PASS_THROUGH_PROVIDERS: readonly PassThroughProvider[] = [
  { id: 'openai', aliases: [], defaultBase: 'https://api.openai.com', baseEnv: ['OPENAI_API_BASE', 'OPENAI_BASE_URL'], keyEnv: ['OPENAI_API_KEY'], auth: 'bearer', stripSuffixes: ['/v1'] },
  { id: 'anthropic', aliases: [], defaultBase: 'https://api.anthropic.com', baseEnv: ['ANTHROPIC_API_BASE', 'ANTHROPIC_BASE_URL'], keyEnv: ['ANTHROPIC_API_KEY'], auth: 'x-api-key', stripSuffixes: ['/v1/messages', '/v1'] },
  { id: 'gemini', aliases: [], defaultBase: 'https://generativelanguage.googleapis.com', baseEnv: ['GEMINI_API_BASE'], keyEnv: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], auth: 'x-goog-api-key', stripSuffixes: [] },
  { id: 'vertex_ai', aliases: ['vertex_ai_beta'], defaultBase: '', baseEnv: ['VERTEXAI_API_BASE', 'VERTEX_AI_API_BASE'], keyEnv: [], auth: 'none', stripSuffixes: [] },
  { id: 'bedrock', aliases: [], defaultBase: '', baseEnv: ['AWS_BEDROCK_RUNTIME_ENDPOINT'], keyEnv: [], auth: 'sigv4', stripSuffixes: [] },
  { id: 'cohere', aliases: ['cohere_chat'], defaultBase: 'https://api.cohere.com', baseEnv: ['COHERE_API_BASE'], keyEnv: ['COHERE_API_KEY', 'CO_API_KEY'], auth: 'bearer', stripSuffixes: ['/v2', '/v1'] },
  { id: 'azure', aliases: [], defaultBase: '', baseEnv: ['AZURE_API_BASE'], keyEnv: ['AZURE_API_KEY', 'AZURE_OPENAI_API_KEY'], auth: 'api-key', stripSuffixes: ['/openai'] },
  { id: 'mistral', aliases: [], defaultBase: 'https://api.mistral.ai', baseEnv: ['MISTRAL_API_BASE'], keyEnv: ['MISTRAL_API_KEY'], auth: 'bearer', stripSuffixes: ['/v1'] },
];

const ROUTES = new Map<string, { route: Route; model: null }>();
for (const provider of PASS_THROUGH_PROVIDERS) {
  ROUTES.set(provider.id, { route: { kind: 'passthrough', method: 'POST', operation: 'chat', passThrough: provider }, model: null });
}

/** `/{provider}` or `/{provider}/…` → its route; the Azure-style `/openai/deployments/` space is never passed through. */
export function matchPassThrough(path: string): { route: Route; model: null } | null {
  const slash = path.indexOf('/', 1);
  const found = ROUTES.get(slash === -1 ? path.slice(1) : path.slice(1, slash));
  if (found === undefined) return null;
  if (found.route.passThrough!.id === 'openai' && path.startsWith('/openai/deployments/')) return null;
  return found;
}
