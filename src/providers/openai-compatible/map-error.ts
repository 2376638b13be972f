// Maps an OpenAI-format error response to the gateway error, keeping the upstream status and message.
import { GatewayError, type ErrorReason } from '../../core/errors.js';
import { isJsonObject } from '../../core/json.js';

const CONTEXT_WINDOW_MARKERS = ['context_length_exceeded', 'maximum context length', 'context window', 'too many tokens'];
const CONTENT_POLICY_MARKERS = ['content_policy_violation', 'content_filter', 'content management policy', 'safety system'];

function includesAny(haystack: string, markers: readonly string[]): boolean {
  const lower = haystack.toLowerCase();
  for (const marker of markers) if (lower.includes(marker)) return true;
  return false;
}

/** Context-window and content-policy errors are recognisable so the router can pick the right fallback list. */
export function classifyUpstreamError(status: number, code: string, message: string): ErrorReason {
  if (status === 400 || status === 413) {
    if (includesAny(code, CONTEXT_WINDOW_MARKERS) || includesAny(message, CONTEXT_WINDOW_MARKERS)) return 'context_window_exceeded';
    if (includesAny(code, CONTENT_POLICY_MARKERS) || includesAny(message, CONTENT_POLICY_MARKERS)) return 'content_policy_violation';
  }
  return 'upstream';
}

interface UpstreamErrorFields {
  message: string;
  type: string | undefined;
  param: string | null;
  code: string;
}

function readErrorFields(bodyText: string, status: number): UpstreamErrorFields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return { message: bodyText.slice(0, 2000) || `Upstream returned HTTP ${status}`, type: undefined, param: null, code: '' };
  }
  const error = isJsonObject(parsed) && isJsonObject(parsed.error) ? parsed.error : isJsonObject(parsed) ? parsed : {};
  const message = typeof error.message === 'string' ? error.message : typeof parsed === 'string' ? parsed : bodyText.slice(0, 2000);
  return {
    message: message || `Upstream returned HTTP ${status}`,
    type: typeof error.type === 'string' ? error.type : undefined,
    param: typeof error.param === 'string' ? error.param : null,
    code: typeof error.code === 'string' ? error.code : '',
  };
}

type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function mapOpenAIError(status: number, bodyText: string, headers: HeaderBag): GatewayError {
  const fields = readErrorFields(bodyText, status);
  const retryAfter = headerValue(headers, 'retry-after');
  return new GatewayError({
    reason: classifyUpstreamError(status, fields.code, fields.message),
    status,
    message: fields.message,
    // Every 429 reads as rate_limit_error whatever the provider calls it, so clients branch on one type.
    type: status === 429 ? 'rate_limit_error' : fields.type ?? (status === 401 ? 'auth_error' : status < 500 ? 'invalid_request_error' : 'api_error'),
    param: fields.param,
    headers: retryAfter === undefined ? undefined : { 'retry-after': retryAfter },
  });
}
