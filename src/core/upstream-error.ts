// Builds the gateway error for a native provider's failure, so every adapter classifies errors the same way.
import { GatewayError, type ErrorReason } from './errors.js';

const CONTEXT_WINDOW_MARKERS = [
  'context_length_exceeded', 'maximum context length', 'context window', 'context length', 'too many tokens',
  'prompt is too long', 'input is too long', 'exceeds the maximum number of tokens', 'too many input tokens', 'token count',
];
const CONTENT_POLICY_MARKERS = ['content_policy', 'content filtering', 'content_filter', 'content policy', 'safety', 'blocked output', 'harmful'];

function includesAny(lower: string, markers: readonly string[]): boolean {
  for (const marker of markers) if (lower.includes(marker)) return true;
  return false;
}

/** Context-window and content-policy errors are recognisable so the router can pick the right fallbacks. */
export function classifyProviderError(status: number, text: string): ErrorReason {
  if (status === 400 || status === 413 || status === 422) {
    const lower = text.toLowerCase();
    if (includesAny(lower, CONTEXT_WINDOW_MARKERS)) return 'context_window_exceeded';
    if (includesAny(lower, CONTENT_POLICY_MARKERS)) return 'content_policy_violation';
  }
  return 'upstream';
}

export interface ProviderErrorFields {
  status: number;
  message: string;
  /** The provider's own error type or code, used only for classification. */
  code?: string;
  param?: string | null;
  retryAfter?: string | undefined;
}

/** Status and message preserved; 429, 529 (Anthropic overloaded) and 5xx are retryable. */
export function providerError(fields: ProviderErrorFields): GatewayError {
  const status = fields.status;
  const message = fields.message === '' ? `Upstream returned HTTP ${status}` : fields.message;
  const reason = classifyProviderError(status, `${fields.code ?? ''} ${message}`);
  let type: string;
  if (status === 429) type = 'rate_limit_error';
  else if (status === 401 || status === 403) type = 'auth_error';
  else if (status < 500) type = 'invalid_request_error';
  else type = 'api_error';
  return new GatewayError({
    reason,
    status,
    message,
    type,
    param: fields.param ?? null,
    headers: fields.retryAfter === undefined ? undefined : { 'retry-after': fields.retryAfter },
  });
}

/** The provider answered 200 with something we cannot read (truncated JSON, unknown event, cut stream). */
export function badProviderOutput(provider: string, detail: string): GatewayError {
  return new GatewayError({ reason: 'upstream', status: 502, message: `Invalid response from ${provider}: ${detail}` });
}

/** Parses a provider's JSON body or throws the contract's 502. */
export function parseProviderJson(provider: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badProviderOutput(provider, `malformed JSON (${text.length} bytes)`);
  }
}

type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

export function firstHeader(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
