// Ollama's `{error: "..."}` bodies → the gateway error.
import type { GatewayError } from '../../core/errors.js';
import { isJsonObject } from '../../core/json.js';
import { firstHeader, providerError } from '../../core/upstream-error.js';

export function mapOllamaError(status: number, bodyText: string, headers: Readonly<Record<string, string | string[] | undefined>>): GatewayError {
  let message = bodyText.slice(0, 2000);
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (isJsonObject(parsed) && typeof parsed.error === 'string') message = parsed.error;
  } catch {
    // not JSON: keep the text
  }
  return providerError({ status, message, retryAfter: firstHeader(headers, 'retry-after') });
}
