// Bedrock's error responses: `{message}` bodies typed by the x-amzn-ErrorType header, and SigV4 presence checks.
import { sendJson } from '../send.js';
import type { MockContext, MockError, WireProtocol } from '../types.js';
import { sendContentFiltered } from './content-filtered.js';

interface ErrorShape {
  type: string;
  message: string;
}

const BY_STATUS: ReadonlyMap<number, ErrorShape> = new Map([
  [400, { type: 'ValidationException', message: 'Malformed input request, please reformat your input and try again.' }],
  [403, { type: 'AccessDeniedException', message: "You don't have access to the model with the specified model ID." }],
  [404, { type: 'ResourceNotFoundException', message: 'The requested resource could not be found.' }],
  [408, { type: 'ModelTimeoutException', message: 'Model has timed out in processing the request.' }],
  [424, { type: 'ModelErrorException', message: 'The model returned an error.' }],
  [429, { type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' }],
  [500, { type: 'InternalServerException', message: 'The server encountered an internal error.' }],
  [503, { type: 'ServiceUnavailableException', message: 'Bedrock is unable to process your request.' }],
]);

const CLIENT_ERROR = BY_STATUS.get(400) as ErrorShape;
const SERVER_ERROR = BY_STATUS.get(500) as ErrorShape;
const CONTEXT_MESSAGE = 'Input is too long for requested model.';
/** AWS appends a namespace to the error type; SDKs split it off at the colon. */
const TYPE_SUFFIX = ':http://internal.amazon.com/coral/com.amazon.bedrock/';

export function bedrockErrorShape(error: MockError): ErrorShape {
  if (error.kind === 'context_window') return { type: 'ValidationException', message: error.message ?? CONTEXT_MESSAGE };
  const shape = BY_STATUS.get(error.status) ?? (error.status >= 500 ? SERVER_ERROR : CLIENT_ERROR);
  return { type: error.code ?? shape.type, message: error.message ?? shape.message };
}

const MISSING_TOKEN: MockError = { kind: 'auth', status: 403, message: 'Missing Authentication Token', code: 'MissingAuthenticationTokenException' };
const BAD_TOKEN: MockError = {
  kind: 'auth',
  status: 403,
  message: 'The security token included in the request is invalid.',
  code: 'UnrecognizedClientException',
};

function sendBedrockError(ctx: MockContext, error: MockError): void {
  // Bedrock's own moderation ends the turn with stopReason content_filtered rather than an HTTP error.
  if (error.kind === 'content_policy' && ctx.path.includes('/converse')) {
    sendContentFiltered(ctx);
    return;
  }
  const shape = bedrockErrorShape(error);
  sendJson(ctx, error.status, { message: shape.message }, {
    'x-amzn-errortype': shape.type + TYPE_SUFFIX,
    'x-amzn-requestid': ctx.nextId(''),
  });
}

export const bedrockProtocol: WireProtocol = {
  name: 'bedrock',
  // SigV4 signatures are not verified, only required; Bedrock API keys (Bearer) are accepted too.
  precheck(ctx) {
    const auth = ctx.req.headers.authorization;
    if (auth === undefined || auth === '') return MISSING_TOKEN;
    if (auth === 'Bearer invalid') return BAD_TOKEN;
    return auth.startsWith('AWS4-HMAC-SHA256 ') || auth.startsWith('Bearer ') ? undefined : BAD_TOKEN;
  },
  sendError: sendBedrockError,
};
