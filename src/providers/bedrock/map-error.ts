// Bedrock errors (`{message}` typed by the x-amzn-ErrorType header, or exception frames mid-stream) → the gateway error.
import type { GatewayError } from '../../core/errors.js';
import { isJsonObject } from '../../core/json.js';
import { firstHeader, providerError } from '../../core/upstream-error.js';

type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

/** Statuses of the exceptions Bedrock sends inside a 200 event stream. */
const STATUS_OF_EXCEPTION: Readonly<Record<string, number>> = {
  throttlingexception: 429,
  validationexception: 400,
  modelstreamerrorexception: 424,
  modeltimeoutexception: 408,
  internalserverexception: 500,
  serviceunavailableexception: 503,
  modelnotreadyexception: 429,
};

export function messageOf(parsed: unknown, fallback: string): string {
  if (!isJsonObject(parsed)) return fallback;
  const message = parsed.message ?? parsed.Message;
  return typeof message === 'string' ? message : fallback;
}

export function bedrockExceptionError(exceptionType: string, payload: string): GatewayError {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(payload);
  } catch {
    // not JSON
  }
  const status = STATUS_OF_EXCEPTION[exceptionType.toLowerCase()] ?? 500;
  return providerError({ status, message: messageOf(parsed, `Bedrock stream failed: ${exceptionType}`), code: exceptionType });
}

export function mapBedrockError(status: number, bodyText: string, headers: HeaderBag): GatewayError {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    // not JSON
  }
  const type = (firstHeader(headers, 'x-amzn-errortype') ?? '').split(':')[0] ?? '';
  return providerError({ status, message: messageOf(parsed, bodyText.slice(0, 2000)), code: type, retryAfter: firstHeader(headers, 'retry-after') });
}
