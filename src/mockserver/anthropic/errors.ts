// Anthropic's error bodies and header checks (x-api-key, anthropic-version), as the Messages API sends them.
import { sendJson } from '../send.js';
import type { MockError, WireProtocol } from '../types.js';

interface ErrorShape {
  type: string;
  message: string;
}

const BY_STATUS: ReadonlyMap<number, ErrorShape> = new Map([
  [400, { type: 'invalid_request_error', message: 'Invalid request.' }],
  [401, { type: 'authentication_error', message: 'invalid x-api-key' }],
  [402, { type: 'billing_error', message: 'Your credit balance is too low to access the Anthropic API.' }],
  [403, { type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' }],
  [404, { type: 'not_found_error', message: 'Not found.' }],
  [413, { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' }],
  [429, { type: 'rate_limit_error', message: 'Number of requests has exceeded your per-minute rate limit.' }],
  [500, { type: 'api_error', message: 'Internal server error' }],
  [503, { type: 'overloaded_error', message: 'Overloaded' }],
  [504, { type: 'timeout_error', message: 'Request timed out.' }],
  [529, { type: 'overloaded_error', message: 'Overloaded' }],
]);

const CLIENT_ERROR = BY_STATUS.get(400) as ErrorShape;
const SERVER_ERROR = BY_STATUS.get(500) as ErrorShape;
const CONTEXT_MESSAGE = 'prompt is too long: 210000 tokens > 200000 maximum';
const POLICY_MESSAGE = 'Output blocked by content filtering policy';

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

export function anthropicErrorBody(error: MockError): AnthropicErrorBody {
  if (error.kind === 'context_window') return body('invalid_request_error', error.message ?? CONTEXT_MESSAGE);
  if (error.kind === 'content_policy') return body('invalid_request_error', error.message ?? POLICY_MESSAGE);
  const shape = BY_STATUS.get(error.status) ?? (error.status >= 500 ? SERVER_ERROR : CLIENT_ERROR);
  return body(shape.type, error.message ?? shape.message);
}

/** What Anthropic sends as `event: error` when a stream fails part-way (most often overload). */
export const STREAM_ERROR_BODY = anthropicErrorBody({ kind: 'status', status: 529, message: undefined });

function body(type: string, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message } };
}

export const anthropicProtocol: WireProtocol = {
  name: 'anthropic',
  // A key may come as x-api-key or, as current official SDKs send it, as Authorization: Bearer.
  precheck(ctx) {
    const headers = ctx.req.headers;
    const bearer = headers.authorization?.startsWith('Bearer ') ? headers.authorization.slice(7) : undefined;
    const key = headers['x-api-key'] ?? bearer;
    if (key === undefined || key === '') return { kind: 'auth', status: 401, message: 'x-api-key header is required' };
    if (key === 'invalid') return { kind: 'auth', status: 401, message: 'invalid x-api-key' };
    if (ctx.req.headers['anthropic-version'] === undefined) {
      return { kind: 'invalid_request', status: 400, message: 'anthropic-version: header is required' };
    }
    return undefined;
  },
  sendError(ctx, error) {
    const requestId = ctx.nextId('req_');
    sendJson(ctx, error.status, { ...anthropicErrorBody(error), request_id: requestId }, { 'request-id': requestId });
  },
};
