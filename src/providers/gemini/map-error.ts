// Gemini / Vertex AI error bodies (`{error:{code, message, status}}`) → the gateway error.
import type { GatewayError } from '../../core/errors.js';
import { isJsonObject } from '../../core/json.js';
import { firstHeader, providerError } from '../../core/upstream-error.js';

type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

export function geminiErrorFromJson(status: number, parsed: unknown, fallback: string, headers: HeaderBag): GatewayError {
  const body = Array.isArray(parsed) ? parsed[0] : parsed;
  const error = isJsonObject(body) && isJsonObject(body.error) ? body.error : null;
  const message = error !== null && typeof error.message === 'string' ? error.message : fallback;
  const code = error !== null && typeof error.code === 'number' ? error.code : status;
  return providerError({ status: status === 200 ? code : status, message, code: error !== null && typeof error.status === 'string' ? error.status : '', retryAfter: firstHeader(headers, 'retry-after') });
}

export function mapGeminiError(status: number, bodyText: string, headers: HeaderBag): GatewayError {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    // not JSON
  }
  return geminiErrorFromJson(status, parsed, bodyText.slice(0, 2000), headers);
}
