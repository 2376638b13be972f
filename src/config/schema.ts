// LiteLLM's config.yaml as a zod schema: the single source of truth for what Sluice reads and type-checks.
import { z } from 'zod';

const seconds = z.number().positive();
const stringList = z.array(z.string());
/** `[{primary: [fallback, …]}, …]`, LiteLLM's fallback list shape. */
const fallbackList = z.array(z.record(z.string(), z.union([z.array(z.string()), z.string()])));

/** Fields Sluice itself reads from `litellm_params`; any other key is a default request parameter for the provider. */
export const litellmParamsSchema = z.looseObject({
  model: z.string().min(1),
  api_base: z.string().optional(),
  base_url: z.string().optional(),
  api_key: z.string().optional(),
  api_version: z.string().optional(),
  azure_ad_token: z.string().optional(),
  organization: z.string().optional(),
  custom_llm_provider: z.string().optional(),
  extra_headers: z.record(z.string(), z.string()).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeout: seconds.optional(),
  stream_timeout: seconds.optional(),
  max_retries: z.number().int().nonnegative().optional(),
  rpm: z.number().nonnegative().optional(),
  tpm: z.number().nonnegative().optional(),
  weight: z.number().nonnegative().optional(),
  order: z.number().int().optional(),
  max_parallel_requests: z.number().int().positive().optional(),
  tags: stringList.optional(),
  mock_response: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  drop_params: z.boolean().optional(),
  input_cost_per_token: z.number().nonnegative().optional(),
  output_cost_per_token: z.number().nonnegative().optional(),
  // Provider-specific credentials read by the native adapters.
  vertex_project: z.string().optional(),
  vertex_location: z.string().optional(),
  vertex_credentials: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  aws_access_key_id: z.string().optional(),
  aws_secret_access_key: z.string().optional(),
  aws_session_token: z.string().optional(),
  aws_region_name: z.string().optional(),
  aws_bedrock_runtime_endpoint: z.string().optional(),
});

export const modelEntrySchema = z.object({
  model_name: z.string().min(1),
  litellm_params: litellmParamsSchema,
  model_info: z.looseObject({ id: z.string().optional(), mode: z.string().optional(), base_model: z.string().optional() }).optional(),
  cache: z.object({ ttl: seconds.optional(), s_max_age: seconds.optional() }).optional(),
});

const cacheParamsSchema = z.looseObject({
  type: z.enum(['local', 'redis', 'redis-semantic', 'qdrant-semantic', 's3', 'disk']).optional(),
  host: z.string().optional(),
  port: z.union([z.number(), z.string()]).optional(),
  password: z.string().optional(),
  namespace: z.string().optional(),
  ttl: seconds.optional(),
  mode: z.enum(['default_on', 'default_off']).optional(),
  supported_call_types: stringList.optional(),
  similarity_threshold: z.number().min(0).max(1).optional(),
  semantic_cache_max_entries: z.number().int().positive().optional(),
  semantic_cache_search_expansion: z.number().int().positive().optional(),
  // Read by src/cache/cache-settings.ts; listed so that using them draws no "unknown key" warning.
  url: z.string().optional(),
  redis_url: z.string().optional(),
  username: z.string().optional(),
  ssl: z.union([z.boolean(), z.string()]).optional(),
  redis_timeout_ms: z.union([z.number(), z.string()]).optional(),
  max_size_in_memory_bytes: z.union([z.number(), z.string()]).optional(),
  redis_semantic_cache_embedding_model: z.string().optional(),
  qdrant_semantic_cache_embedding_model: z.string().optional(),
  embedding_model: z.string().optional(),
  semantic_cache_embedding_timeout: z.union([z.number(), z.string()]).optional(),
});

export const litellmSettingsSchema = z.looseObject({
  drop_params: z.boolean().optional(),
  num_retries: z.number().int().nonnegative().optional(),
  request_timeout: seconds.optional(),
  set_verbose: z.boolean().optional(),
  json_logs: z.boolean().optional(),
  max_tokens: z.number().int().positive().optional(),
  cache: z.boolean().optional(),
  cache_params: cacheParamsSchema.optional(),
  success_callback: stringList.optional(),
  failure_callback: stringList.optional(),
  callbacks: z.union([stringList, z.string()]).optional(),
  max_budget: z.number().nonnegative().optional(),
  budget_duration: z.string().optional(),
  require_auth_for_metrics_endpoint: z.boolean().optional(),
  turn_off_message_logging: z.boolean().optional(),
  log_raw_request_response: z.boolean().optional(),
  default_fallbacks: stringList.optional(),
  context_window_fallbacks: fallbackList.optional(),
  content_policy_fallbacks: fallbackList.optional(),
  fallbacks: fallbackList.optional(),
});

export const generalSettingsSchema = z.looseObject({
  master_key: z.string().optional(),
  database_url: z.string().optional(),
  max_request_size_mb: z.number().positive().optional(),
  max_response_size_mb: z.number().positive().optional(),
  cache: z.boolean().optional(),
  cache_params: cacheParamsSchema.optional(),
  connection_pool_size: z.number().int().positive().optional(),
  connection_pool_timeout: seconds.optional(),
  database_connection_pool_limit: z.number().int().positive().optional(),
  database_connection_timeout: seconds.optional(),
  drop_params: z.boolean().optional(),
  proxy_batch_write_at: seconds.optional(),
  disable_spend_logs: z.boolean().optional(),
  background_health_checks: z.boolean().optional(),
  health_check_interval: seconds.optional(),
  allow_requests_on_db_unavailable: z.boolean().optional(),
  store_model_in_db: z.boolean().optional(),
  alerting: stringList.optional(),
});

export const routerSettingsSchema = z.looseObject({
  routing_strategy: z
    .enum(['simple-shuffle', 'least-busy', 'latency-based-routing', 'usage-based-routing', 'usage-based-routing-v2', 'cost-based-routing'])
    .optional(),
  routing_strategy_args: z.record(z.string(), z.unknown()).optional(),
  num_retries: z.number().int().nonnegative().optional(),
  retry_policy: z.record(z.string(), z.number().int().nonnegative()).optional(),
  model_group_retry_policy: z.record(z.string(), z.record(z.string(), z.number().int().nonnegative())).optional(),
  retry_after: z.number().nonnegative().optional(),
  allowed_fails: z.number().int().nonnegative().optional(),
  allowed_fails_policy: z.record(z.string(), z.number().int().nonnegative()).optional(),
  cooldown_time: z.number().nonnegative().optional(),
  disable_cooldowns: z.boolean().optional(),
  timeout: seconds.optional(),
  stream_timeout: seconds.optional(),
  fallbacks: fallbackList.optional(),
  context_window_fallbacks: fallbackList.optional(),
  content_policy_fallbacks: fallbackList.optional(),
  default_fallbacks: stringList.optional(),
  max_fallbacks: z.number().int().nonnegative().optional(),
  enable_pre_call_checks: z.boolean().optional(),
  enable_tag_filtering: z.boolean().optional(),
  model_group_alias: z.record(z.string(), z.union([z.string(), z.object({ model: z.string(), hidden: z.boolean().optional() })])).optional(),
  redis_host: z.string().optional(),
  redis_port: z.union([z.number(), z.string()]).optional(),
  redis_password: z.string().optional(),
  redis_url: z.string().optional(),
  /** Sluice's own: prefix of the router's Redis keys (default `sluice:router:`). */
  redis_key_prefix: z.string().optional(),
  max_parallel_requests: z.number().int().positive().optional(),
  latency_threshold: z.number().nonnegative().optional(),
  rpm_limit: z.number().nonnegative().optional(),
});

export const configSchema = z.object({
  model_list: z.array(modelEntrySchema).default([]),
  litellm_settings: litellmSettingsSchema.default({}),
  general_settings: generalSettingsSchema.default({}),
  router_settings: routerSettingsSchema.default({}),
  /** Named callbacks' settings, e.g. `{my_sink: {callback_type: generic_api, endpoint, headers}}`. */
  callback_settings: z.record(z.string(), z.looseObject({ callback_type: z.string().optional() })).optional(),
  environment_variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  include: stringList.optional(),
});

export type ProxyConfig = z.infer<typeof configSchema>;
export type ModelEntry = z.infer<typeof modelEntrySchema>;
export type LitellmParams = z.infer<typeof litellmParamsSchema>;
export type RouterSettings = z.infer<typeof routerSettingsSchema>;
export type GeneralSettings = z.infer<typeof generalSettingsSchema>;
export type LitellmSettings = z.infer<typeof litellmSettingsSchema>;

/**
 * Keys LiteLLM documents that Sluice accepts without acting on them yet; everything else unknown gets a warning.
 * `litellm_params` is open by design: extra keys there are default request parameters.
 */
export const OPEN_OBJECT_PATHS: ReadonlySet<string> = new Set(['model_list[].litellm_params', 'model_list[].model_info']);
