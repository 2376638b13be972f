// Cohere error bodies (`{message}`, sometimes `{id, message}`) → the gateway error.
import type { GatewayError } from '../../core/errors.js';
import { isJsonObject } from '../../core/json.js';
import { firstHeader, providerError } from '../../core/upstream-error.js';

type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

export function mapCohereError(status: number, bodyText: string, headers: HeaderBag): GatewayError {
  let message = bodyText.slice(0, 2000);
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (isJsonObject(parsed) && typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: keep the text
  }
  return providerError({ status, message, retryAfter: firstHeader(headers, 'retry-after') });
}
