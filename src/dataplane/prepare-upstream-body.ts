// Turns the client's body into the provider's: gateway-only fields out, deployment defaults in, model swapped.
import type { Deployment } from '../config/deployment.js';
import { GatewayError, invalidRequest } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';

/** Body fields LiteLLM consumes itself and never forwards (and which must not redirect or re-key the call). */
export const GATEWAY_ONLY_FIELDS = [
  'metadata', 'litellm_metadata', 'cache', 'caching', 'fallbacks', 'context_window_fallbacks', 'content_policy_fallbacks',
  'num_retries', 'max_retries', 'mock_response', 'mock_testing_fallbacks', 'mock_testing_context_fallbacks', 'mock_testing_content_policy_fallbacks', 'tags', 'timeout', 'drop_params', 'api_key', 'api_base',
  'base_url', 'api_version', 'guardrails', 'proxy_server_request', 'secret_fields', 'litellm_logging_obj', 'request_timeout',
] as const;

/**
 * The same, as a set: a body is checked key by key (a chat body has a handful), not field by field (`field in body`
 * for each of these two dozen names was a megamorphic lookup apiece, ~10k instructions per request).
 */
const GATEWAY_ONLY: ReadonlySet<string> = new Set(GATEWAY_ONLY_FIELDS);

export interface BodyLimits {
  dropParams: boolean;
  maxTokensCap: number | null;
}

function unsupportedParamError(param: string, provider: string): GatewayError {
  return new GatewayError({
    reason: 'unsupported_param',
    status: 400,
    param,
    message: `${provider} does not support parameters: ['${param}']. To drop these, set \`drop_params: true\` in litellm_settings or in the request.`,
  });
}

/** Mutates and returns `body`; throws a GatewayError for parameters the deployment cannot take. */
export function prepareUpstreamBody(body: JsonObject, deployment: Deployment, limits: BodyLimits): JsonObject {
  const dropParams = body.drop_params === true || deployment.dropParams || limits.dropParams;
  // A parsed body has no enumerable inherited keys, so its own keys are all `field in body` could find.
  for (const key in body) if (GATEWAY_ONLY.has(key)) delete body[key];
  const defaults = deployment.defaultParams;
  for (const key in defaults) if (body[key] === undefined) body[key] = defaults[key];
  body.model = deployment.upstreamModel;
  for (const param of deployment.unsupportedParams) {
    if (body[param] === undefined) continue;
    if (!dropParams) throw unsupportedParamError(param, deployment.provider);
    delete body[param];
  }
  const cap = limits.maxTokensCap;
  if (cap !== null) {
    const requested = body.max_tokens;
    if (requested === undefined) body.max_tokens = cap;
    else if (typeof requested === 'number' && requested > cap) {
      throw invalidRequest(`max_tokens=${requested} is above this gateway's limit of ${cap} (litellm_settings.max_tokens).`, 'max_tokens');
    }
  }
  return body;
}
