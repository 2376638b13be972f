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

export function exceptionClass(reason: ErrorReason | null): string {
  return reason === null ? 'ClientDisconnected' : CLASS_OF_REASON[reason];
}
