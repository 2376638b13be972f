// The client's own body made ready for a native forward: gateway-only fields out, the deployment's model in.
import type { JsonObject } from '../core/json.js';

/**
 * Fields LiteLLM consumes itself. Unlike the chat path, `metadata` stays: Anthropic's and the Responses API's
 * `metadata` are real request fields.
 */
const GATEWAY_ONLY_FIELDS = [
  'litellm_metadata', 'cache', 'caching', 'fallbacks', 'context_window_fallbacks', 'content_policy_fallbacks', 'num_retries',
  'max_retries', 'mock_response', 'mock_testing_fallbacks', 'tags', 'timeout', 'drop_params', 'api_key', 'api_base', 'base_url',
  'api_version', 'guardrails', 'proxy_server_request', 'secret_fields', 'request_timeout',
] as const;
/** Checked key by key, as prepareUpstreamBody does (a lookup per field name was megamorphic). */
const GATEWAY_ONLY: ReadonlySet<string> = new Set(GATEWAY_ONLY_FIELDS);

export function nativeBody(body: JsonObject, upstreamModel: string): string {
  for (const key in body) if (GATEWAY_ONLY.has(key)) delete body[key];
  body.model = upstreamModel;
  return JSON.stringify(body);
}
