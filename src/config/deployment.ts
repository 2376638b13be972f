// Turns one `model_list` entry into a Deployment: provider, compiled URL and headers, timeouts, request defaults.
import { createHash } from 'node:crypto';
import type { JsonObject } from '../core/json.js';
import type { PreparedTarget, ProviderAdapter } from '../core/provider-contract.js';
import { MOCK_PROVIDER, findProvider } from '../providers/registry.js';
import type { ConfigProblem } from './config-problem.js';
import { providerOfModel } from './provider-of-model.js';
import { resolveProviderParams } from './provider-params.js';
import type { LitellmParams, ModelEntry } from './schema.js';

export interface Deployment {
  /** `model_info.id`, else a hash of the entry: the same on every worker and instance. */
  readonly id: string;
  readonly modelGroup: string;
  readonly provider: string;
  readonly upstreamModel: string;
  /** Null for the in-process mock provider. */
  readonly adapter: ProviderAdapter | null;
  readonly prepared: PreparedTarget | null;
  /** `api_base` for the response header (never contains the key). */
  readonly apiBase: string;
  /** `litellm_params` keys that are not Sluice's own: request defaults sent to the provider. */
  readonly defaultParams: Readonly<JsonObject>;
  /** Text answered locally (`mock_response`, or the built-in mock model's echo when ''). Null: call upstream. */
  readonly mockResponse: string | null;
  readonly timeoutMs: number;
  readonly streamTimeoutMs: number;
  readonly dropParams: boolean;
  readonly unsupportedParams: readonly string[];
  readonly params: Readonly<LitellmParams>;
  readonly modelInfo: Readonly<Record<string, unknown>>;
}

export interface DeploymentDefaults {
  timeoutSeconds: number;
  streamTimeoutSeconds: number | undefined;
  dropParams: boolean;
  env: NodeJS.ProcessEnv;
}

/** Keys of `litellm_params` that configure Sluice rather than the provider's request body. */
const GATEWAY_PARAM_KEYS: ReadonlySet<string> = new Set([
  'model', 'api_base', 'base_url', 'api_key', 'api_version', 'azure_ad_token', 'organization', 'custom_llm_provider',
  'extra_headers', 'headers', 'timeout', 'stream_timeout', 'max_retries', 'rpm', 'tpm', 'weight', 'order',
  'max_parallel_requests', 'tags', 'mock_response', 'drop_params', 'input_cost_per_token', 'output_cost_per_token',
  'vertex_project', 'vertex_location', 'vertex_credentials', 'aws_access_key_id', 'aws_secret_access_key',
  'aws_session_token', 'aws_region_name', 'aws_bedrock_runtime_endpoint', 'model_info', 'use_in_pass_through',
  'input_cost_per_second', 'output_cost_per_second', 'cache_read_input_token_cost', 'cache_creation_input_token_cost',
  'merge_reasoning_content_in_choices', 'litellm_credential_name', 'region_name', 'max_budget', 'budget_duration',
]);

export function deploymentId(entry: ModelEntry): string {
  const explicit = entry.model_info?.id;
  if (typeof explicit === 'string' && explicit !== '') return explicit;
  return createHash('sha256').update(JSON.stringify([entry.model_name, entry.litellm_params])).digest('hex');
}

function firstEnv(env: NodeJS.ProcessEnv, names: readonly string[]): string | null {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return null;
}

function defaultParamsOf(params: LitellmParams): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(params)) if (!GATEWAY_PARAM_KEYS.has(key)) out[key] = value as JsonObject[string];
  return out;
}

function mockResponseOf(params: LitellmParams, provider: string): string | null {
  if (typeof params.mock_response === 'string') return params.mock_response;
  if (params.mock_response !== undefined) return JSON.stringify(params.mock_response);
  return provider === MOCK_PROVIDER ? '' : null;
}

/**
 * Builds a deployment; on bad config pushes problems (with `path` as the entry's YAML path) and returns null.
 * Used at start-up for every entry and, for wildcard routes, once per newly seen model name.
 */
export function buildDeployment(entry: ModelEntry, path: string, defaults: DeploymentDefaults, problems: ConfigProblem[]): Deployment | null {
  const params = entry.litellm_params;
  const resolved = providerOfModel(params.model, params.custom_llm_provider);
  if (resolved === null) {
    problems.push({ path: `${path}.litellm_params.model`, expected: 'provider/model with a supported provider (e.g. openai/gpt-4o)', found: JSON.stringify(params.model) });
    return null;
  }
  const providerEntry = resolved.provider === MOCK_PROVIDER ? null : findProvider(resolved.provider) ?? null;
  const env = defaults.env;
  const mockResponse = mockResponseOf(params, resolved.provider);
  let prepared: PreparedTarget | null = null;
  let apiBase = '';
  if (providerEntry !== null) {
    const providerDefaults = providerEntry.defaults;
    apiBase = params.api_base ?? params.base_url ?? (providerDefaults.apiBaseEnv ? env[providerDefaults.apiBaseEnv] : undefined) ?? providerDefaults.baseUrl;
    if (apiBase === '' && mockResponse === null) {
      problems.push({ path: `${path}.litellm_params.api_base`, expected: `an api_base URL (required for ${resolved.provider})`, found: 'nothing (missing)' });
      return null;
    }
    if (apiBase !== '') {
      try {
        prepared = providerEntry.adapter.prepare({
          provider: resolved.provider,
          upstreamModel: resolved.model,
          apiBase,
          apiKey: params.api_key ?? firstEnv(env, providerDefaults.apiKeyEnv),
          apiVersion: params.api_version ?? (providerDefaults.apiVersionEnv ? env[providerDefaults.apiVersionEnv] ?? null : null),
          extraHeaders: { ...params.headers, ...params.extra_headers },
          providerParams: resolveProviderParams(params, providerDefaults.paramEnv, env),
        });
      } catch (error) {
        problems.push({ path: `${path}.litellm_params.api_base`, expected: 'a valid http(s) URL', found: `${JSON.stringify(apiBase)} (${(error as Error).message})` });
        return null;
      }
    }
  }
  const timeoutSeconds = params.timeout ?? defaults.timeoutSeconds;
  return {
    id: deploymentId(entry),
    modelGroup: entry.model_name,
    provider: resolved.provider,
    upstreamModel: resolved.model,
    adapter: providerEntry?.adapter ?? null,
    prepared,
    // Bedrock and Vertex defaults are templates (`{region}`) filled by the adapter: report the real origin.
    apiBase: prepared !== null && apiBase.includes('{') ? prepared.origin : apiBase,
    defaultParams: defaultParamsOf(params),
    mockResponse,
    timeoutMs: timeoutSeconds * 1000,
    streamTimeoutMs: (params.stream_timeout ?? defaults.streamTimeoutSeconds ?? timeoutSeconds) * 1000,
    dropParams: params.drop_params ?? defaults.dropParams,
    unsupportedParams: providerEntry?.defaults.unsupportedParams ?? [],
    params,
    modelInfo: entry.model_info ?? {},
  };
}
