// Anthropic error bodies (`{type:"error", error:{type, message}}`) → the gateway error; 529 overloaded is retryable.
import type { GatewayError } from '../../core/errors.js';
import { isJsonObject } from '../../core/json.js';
import { firstHeader, providerError } from '../../core/upstream-error.js';

type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

/** Status Anthropic's error types stand for, for errors that arrive inside a 200 stream. */
const STATUS_OF_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

export function anthropicErrorFromJson(status: number, parsed: unknown, fallback: string, headers: HeaderBag): GatewayError {
  const error = isJsonObject(parsed) && isJsonObject(parsed.error) ? parsed.error : null;
  const type = error !== null && typeof error.type === 'string' ? error.type : '';
  const message = error !== null && typeof error.message === 'string' ? error.message : fallback;
  return providerError({ status: status === 200 ? (STATUS_OF_TYPE[type] ?? 500) : status, message, code: type, retryAfter: firstHeader(headers, 'retry-after') });
}

export function mapAnthropicError(status: number, bodyText: string, headers: HeaderBag): GatewayError {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    // not JSON: the text itself is the message
  }
  return anthropicErrorFromJson(status, parsed, bodyText.slice(0, 2000), headers);
}
