// What one logged request becomes as an OpenTelemetry span: name, times and GenAI semantic-convention attributes (pure).
import type { Attributes } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '@opentelemetry/semantic-conventions';
import type { LoggedEvent } from './callback.js';

// The GenAI names live in OpenTelemetry's GenAI conventions (status: development). The JS package has them only in its
// unstable `incubating` entry point (700 KB, and marked there as moved out of the package), so they are spelled here.
export const GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
/** Superseded by gen_ai.provider.name in the conventions; kept because LiteLLM's spans and existing dashboards use it. */
export const GEN_AI_SYSTEM = 'gen_ai.system';
export const GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
export const GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
export const GEN_AI_REQUEST_TOP_P = 'gen_ai.request.top_p';
export const GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';
export const GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
export const GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation.input_tokens';

/** Sluice operations → gen_ai.operation.name values. */
const OPERATION_NAMES: Readonly<Record<string, string>> = { chat: 'chat', completion: 'text_completion', embedding: 'embeddings' };

/** LiteLLM provider ids → the conventions' well-known gen_ai.provider.name values; other ids are used as they are. */
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  openai: 'openai',
  'text-completion-openai': 'openai',
  azure: 'azure.ai.openai',
  azure_ai: 'azure.ai.inference',
  anthropic: 'anthropic',
  bedrock: 'aws.bedrock',
  gemini: 'gcp.gemini',
  vertex_ai: 'gcp.vertex_ai',
  cohere: 'cohere',
  cohere_chat: 'cohere',
  deepseek: 'deepseek',
  groq: 'groq',
  mistral: 'mistral_ai',
  codestral: 'mistral_ai',
  perplexity: 'perplexity',
  xai: 'x_ai',
};

export function operationName(event: LoggedEvent): string {
  return OPERATION_NAMES[event.outcome.operation] ?? event.outcome.operation;
}

export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

interface ServerAddress {
  host: string;
  port: number;
}

/** api_base → server.address/server.port; parsed once per distinct api_base (one per deployment). */
const servers = new Map<string, ServerAddress | null>();
export function serverOf(apiBase: string): ServerAddress | null {
  let server = servers.get(apiBase);
  if (server !== undefined) return server;
  try {
    const url = new URL(apiBase);
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    server = { host: url.hostname.replace(/^\[|\]$/g, ''), port };
  } catch {
    server = null;
  }
  if (servers.size < 1_000) servers.set(apiBase, server);
  return server;
}

/** `{operation} {model}`, as the GenAI conventions name spans. */
export function spanName(event: LoggedEvent): string {
  return `${operationName(event)} ${event.payload.model}`;
}

/** The request's error class (LiteLLM's exception name), or its status when it failed without one; null on success. */
export function errorType(event: LoggedEvent): string | null {
  const payload = event.payload;
  if (payload.status !== 'failure') return null;
  return payload.error_information?.error_class ?? String(event.outcome.status);
}

function requestAttributes(event: LoggedEvent, attributes: Attributes): void {
  const params = event.payload.model_parameters;
  if (typeof params.max_tokens === 'number') attributes[GEN_AI_REQUEST_MAX_TOKENS] = params.max_tokens;
  if (typeof params.temperature === 'number') attributes[GEN_AI_REQUEST_TEMPERATURE] = params.temperature;
  if (typeof params.top_p === 'number') attributes[GEN_AI_REQUEST_TOP_P] = params.top_p;
}

function usageAttributes(event: LoggedEvent, attributes: Attributes): void {
  const usage = event.outcome.usage;
  attributes[GEN_AI_USAGE_INPUT_TOKENS] = usage === null ? 0 : usage.promptTokens;
  attributes[GEN_AI_USAGE_OUTPUT_TOKENS] = usage === null ? 0 : usage.completionTokens;
  if (usage !== null && usage.cachedPromptTokens > 0) attributes[GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = usage.cachedPromptTokens;
  if (usage !== null && usage.cacheCreationTokens > 0) attributes[GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] = usage.cacheCreationTokens;
}

export function spanAttributes(event: LoggedEvent): Attributes {
  const payload = event.payload;
  const provider = payload.custom_llm_provider ?? 'unknown';
  const attributes: Attributes = {
    [GEN_AI_OPERATION_NAME]: operationName(event),
    [GEN_AI_PROVIDER_NAME]: providerName(provider),
    [GEN_AI_SYSTEM]: provider,
    [GEN_AI_REQUEST_MODEL]: event.outcome.requestedModel ?? payload.model,
    [GEN_AI_RESPONSE_MODEL]: payload.model,
    [GEN_AI_RESPONSE_ID]: payload.id,
    [ATTR_HTTP_RESPONSE_STATUS_CODE]: event.outcome.status,
    'litellm.call_id': payload.id,
    'llm.is_streaming': payload.stream,
  };
  usageAttributes(event, attributes);
  requestAttributes(event, attributes);
  if (event.outcome.timeToFirstTokenMs > 0) attributes[GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] = event.outcome.timeToFirstTokenMs / 1000;
  if (payload.model_group !== null) attributes['litellm.model_group'] = payload.model_group;
  if (payload.model_id !== null) attributes['litellm.model_id'] = payload.model_id;
  if (payload.api_base !== '') {
    attributes['litellm.api_base'] = payload.api_base;
    const server = serverOf(payload.api_base);
    if (server !== null) {
      attributes[ATTR_SERVER_ADDRESS] = server.host;
      attributes[ATTR_SERVER_PORT] = server.port;
    }
  }
  if (payload.response_cost > 0) attributes['gen_ai.usage.cost'] = payload.response_cost;
  const error = errorType(event);
  if (error !== null) attributes[ATTR_ERROR_TYPE] = error;
  return attributes;
}
