// LiteLLM's `exception_class` label values (its OpenAI-style exception names), from a gateway error's reason.
import type { ErrorReason } from '../core/errors.js';

const CLASS_OF_REASON: Readonly<Record<ErrorReason, string>> = {
  invalid_request: 'BadRequestError',
  unknown_model: 'BadRequestError',
  unsupported_param: 'UnsupportedParamsError',
  payload_too_large: 'BadRequestError',
  not_found: 'NotFoundError',
  method_not_allowed: 'BadRequestError',
  auth: 'AuthenticationError',
  expired_key: 'AuthenticationError',
  key_blocked: 'AuthenticationError',
  model_access_denied: 'AuthenticationError',
  budget_exceeded: 'BudgetExceededError',
  rate_limited: 'RateLimitError',
  no_deployments: 'RateLimitError',
  timeout: 'Timeout',
  upstream: 'APIError',
  upstream_unreachable: 'APIConnectionError',
  context_window_exceeded: 'ContextWindowExceededError',
  content_policy_violation: 'ContentPolicyViolationError',
  unavailable: 'ServiceUnavailableError',
  internal: 'InternalServerError',
};

/** OpenAI SDK exception names by status, for errors passed through from the provider. */
const CLASS_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'BadRequestError', 401: 'AuthenticationError', 403: 'PermissionDeniedError', 404: 'NotFoundError', 408: 'Timeout',
  409: 'ConflictError', 422: 'UnprocessableEntityError', 429: 'RateLimitError', 500: 'InternalServerError', 503: 'ServiceUnavailableError',
};

export function exceptionClass(reason: ErrorReason | null, status: number): string {
  if (reason === null) return 'ClientDisconnected';
  if (reason === 'upstream') return CLASS_OF_STATUS[status] ?? 'APIError';
  return CLASS_OF_REASON[reason];
}
