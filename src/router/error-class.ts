// Maps a gateway error to LiteLLM's exception class names, the keys of `retry_policy` / `allowed_fails_policy`.
import type { GatewayError } from '../core/errors.js';

export type ErrorClass =
  | 'BadRequestError'
  | 'AuthenticationError'
  | 'TimeoutError'
  | 'RateLimitError'
  | 'ContentPolicyViolationError'
  | 'InternalServerError';

export function errorClassOf(error: GatewayError): ErrorClass {
  if (error.reason === 'content_policy_violation') return 'ContentPolicyViolationError';
  if (error.reason === 'timeout' || error.status === 408) return 'TimeoutError';
  if (error.status === 429) return 'RateLimitError';
  if (error.status === 401 || error.status === 403) return 'AuthenticationError';
  if (error.status >= 500 || error.reason === 'upstream_unreachable') return 'InternalServerError';
  return 'BadRequestError';
}
