// The native wire-protocol adapters and their defaults (base URL, key env vars, parameters they cannot take).
import { AnthropicAdapter } from './anthropic/adapter.js';
import { BEDROCK_BASE_TEMPLATE, BedrockAdapter } from './bedrock/adapter.js';
import { CohereAdapter } from './cohere/adapter.js';
import { GeminiAdapter, VERTEX_BASE_TEMPLATE, VertexAdapter } from './gemini/adapter.js';
import { OllamaAdapter } from './ollama/adapter.js';
import type { ProviderDefaults, ProviderEntry } from './registry.js';

/** OpenAI parameters with no equivalent in each protocol (LiteLLM's get_supported_openai_params). */
const ANTHROPIC_UNSUPPORTED = ['frequency_penalty', 'presence_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'n', 'seed'];
const GEMINI_UNSUPPORTED = ['logit_bias', 'logprobs', 'top_logprobs'];
const BEDROCK_UNSUPPORTED = ['frequency_penalty', 'presence_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'n', 'seed'];
const COHERE_UNSUPPORTED = ['logit_bias', 'logprobs', 'top_logprobs', 'n'];
const OLLAMA_UNSUPPORTED = ['logit_bias', 'logprobs', 'top_logprobs', 'n'];

const VERTEX_PARAMS = {
  vertex_project: ['VERTEXAI_PROJECT', 'VERTEX_PROJECT', 'GOOGLE_CLOUD_PROJECT'],
  vertex_location: ['VERTEXAI_LOCATION', 'VERTEX_LOCATION', 'GOOGLE_CLOUD_LOCATION'],
  vertex_credentials: ['VERTEXAI_CREDENTIALS', 'GOOGLE_APPLICATION_CREDENTIALS'],
};
const AWS_PARAMS = {
  aws_access_key_id: ['AWS_ACCESS_KEY_ID'],
  aws_secret_access_key: ['AWS_SECRET_ACCESS_KEY'],
  aws_session_token: ['AWS_SESSION_TOKEN'],
  aws_region_name: ['AWS_REGION_NAME', 'AWS_REGION', 'AWS_DEFAULT_REGION'],
  aws_bedrock_runtime_endpoint: ['AWS_BEDROCK_RUNTIME_ENDPOINT'],
};

function defaults(baseUrl: string, apiKeyEnv: string[], apiBaseEnv: string | undefined, unsupportedParams: string[], paramEnv?: ProviderDefaults['paramEnv']): ProviderDefaults {
  return { baseUrl, apiKeyEnv, apiBaseEnv, apiVersionEnv: undefined, requiresApiBase: false, unsupportedParams, paramEnv };
}

const ollamaDefaults = defaults('http://localhost:11434', ['OLLAMA_API_KEY'], 'OLLAMA_API_BASE', OLLAMA_UNSUPPORTED);

export const NATIVE_PROVIDERS: ReadonlyArray<readonly [string, ProviderEntry]> = [
  ['anthropic', { adapter: new AnthropicAdapter(), defaults: defaults('https://api.anthropic.com', ['ANTHROPIC_API_KEY'], 'ANTHROPIC_API_BASE', ANTHROPIC_UNSUPPORTED) }],
  ['gemini', { adapter: new GeminiAdapter(), defaults: defaults('https://generativelanguage.googleapis.com', ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], 'GEMINI_API_BASE', GEMINI_UNSUPPORTED) }],
  ['vertex_ai', { adapter: new VertexAdapter(), defaults: defaults(VERTEX_BASE_TEMPLATE, [], 'VERTEXAI_API_BASE', GEMINI_UNSUPPORTED, VERTEX_PARAMS) }],
  ['bedrock', { adapter: new BedrockAdapter(), defaults: defaults(BEDROCK_BASE_TEMPLATE, ['AWS_BEARER_TOKEN_BEDROCK'], undefined, BEDROCK_UNSUPPORTED, AWS_PARAMS) }],
  ['cohere', { adapter: new CohereAdapter(), defaults: defaults('https://api.cohere.com', ['COHERE_API_KEY', 'CO_API_KEY'], 'COHERE_API_BASE', COHERE_UNSUPPORTED) }],
  ['cohere_chat', { adapter: new CohereAdapter(), defaults: defaults('https://api.cohere.com', ['COHERE_API_KEY', 'CO_API_KEY'], 'COHERE_API_BASE', COHERE_UNSUPPORTED) }],
  ['ollama', { adapter: new OllamaAdapter('ollama'), defaults: ollamaDefaults }],
  ['ollama_chat', { adapter: new OllamaAdapter('ollama_chat'), defaults: ollamaDefaults }],
];
