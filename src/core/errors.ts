// One error type for the whole gateway, mapped to OpenAI's error JSON in one place (CONTRACT.md "Errors").
import type { ServerResponse } from 'node:http';

/** Stable, machine-readable reasons; the router branches on these, never on messages. */
export type ErrorReason =
  | 'invalid_request'
  | 'unknown_model'
  | 'unsupported_param'
  | 'payload_too_large'
  | 'not_found'
  | 'method_not_allowed'
  | 'auth'
  | 'expired_key'
  | 'key_blocked'
  | 'model_access_denied'
  | 'budget_exceeded'
  | 'rate_limited'
  | 'no_deployments'
  | 'timeout'
  | 'upstream'
  | 'upstream_unreachable'
  | 'context_window_exceeded'
  | 'content_policy_violation'
  | 'unavailable'
  | 'internal';

export interface GatewayErrorInit {
  reason: ErrorReason;
  status: number;
  message: string;
  type?: string;
  param?: string | null;
  /** Extra response headers, e.g. retry-after or x-litellm-timeout. */
  headers?: Readonly<Record<string, string>>;
  /** Whether another attempt (same or other deployment) may succeed. Derived from status when absent. */
  retryable?: boolean;
  cause?: unknown;
}

const DEFAULT_TYPE: Readonly<Record<ErrorReason, string>> = {
  invalid_request: 'invalid_request_error',
  unknown_model: 'invalid_request_error',
  unsupported_param: 'invalid_request_error',
  payload_too_large: 'invalid_request_error',
  not_found: 'invalid_request_error',
  method_not_allowed: 'invalid_request_error',
  auth: 'auth_error',
  expired_key: 'expired_key',
  key_blocked: 'key_blocked',
  model_access_denied: 'key_model_access_denied',
  budget_exceeded: 'budget_exceeded',
  rate_limited: 'rate_limit_error',
  no_deployments: 'rate_limit_error',
  timeout: 'timeout',
  upstream: 'api_error',
  upstream_unreachable: 'api_connection_error',
  context_window_exceeded: 'invalid_request_error',
  content_policy_violation: 'invalid_request_error',
  unavailable: 'service_unavailable',
  internal: 'internal_server_error',
};

/** 408, 409, 429 and 5xx may succeed on another attempt (the Vercel AI SDK's rule); other 4xx will not. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export class GatewayError extends Error {
  readonly reason: ErrorReason;
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly retryable: boolean;

  constructor(init: GatewayErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GatewayError';
    this.reason = init.reason;
    this.status = init.status;
    this.type = init.type ?? DEFAULT_TYPE[init.reason];
    this.param = init.param ?? null;
    this.headers = init.headers;
    this.retryable = init.retryable ?? isRetryableStatus(init.status);
  }

  /** The OpenAI error object: `{message, type, param, code}` with the status as a string. */
  toJSON(): { error: { message: string; type: string; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: String(this.status) } };
  }
}

export function invalidRequest(message: string, param: string | null = null): GatewayError {
  return new GatewayError({ reason: 'invalid_request', status: 400, message, param });
}

export function unknownModel(model: string): GatewayError {
  return new GatewayError({
    reason: 'unknown_model',
    status: 400,
    param: 'model',
    message: `Invalid model name passed in model=${model}. Call \`/v1/models\` to view available models for your key.`,
  });
}

export function authError(message: string): GatewayError {
  return new GatewayError({ reason: 'auth', status: 401, message });
}

export function notFound(method: string, path: string): GatewayError {
  return new GatewayError({ reason: 'not_found', status: 404, message: `No route for ${method} ${path}` });
}

/** Anything thrown that is not a GatewayError becomes a 500 whose message leaks no internals. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError({ reason: 'internal', status: 500, message: 'Internal server error', cause: error });
}

export function errorBody(error: GatewayError): string {
  return JSON.stringify(error.toJSON());
}

/** Writes the error as the response, unless headers already left (then the caller must end the stream). */
export function writeError(res: ServerResponse, error: GatewayError, extraHeaders?: Record<string, string>): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const body = errorBody(error);
  res.statusCode = error.status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(body));
  if (error.headers !== undefined) for (const name in error.headers) res.setHeader(name, error.headers[name]!);
  if (extraHeaders !== undefined) for (const name in extraHeaders) res.setHeader(name, extraHeaders[name]!);
  res.end(body);
}

/** The SSE event that ends a stream which fails after its first byte (CONTRACT.md). */
export function errorEvent(error: GatewayError): string {
  return `data: ${errorBody(error)}\n\n`;
}
