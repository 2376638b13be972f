// OpenAI's (and Azure OpenAI's) error bodies and credential checks, as their APIs send them.
import { sendJson } from '../send.js';
import type { MockContext, MockError, WireProtocol } from '../types.js';

interface ErrorShape {
  type: string;
  code: string | null;
  message: string;
}

const BY_STATUS: ReadonlyMap<number, ErrorShape> = new Map([
  [400, { type: 'invalid_request_error', code: null, message: 'Invalid request.' }],
  [401, { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' }],
  [403, { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported' }],
  [404, { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist or you do not have access to it.' }],
  [409, { type: 'invalid_request_error', code: null, message: 'Conflict.' }],
  [422, { type: 'invalid_request_error', code: null, message: 'Unprocessable entity.' }],
  [429, { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests. Please try again later.' }],
  [500, { type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' }],
  [502, { type: 'server_error', code: null, message: 'Bad gateway.' }],
  [503, { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' }],
  [504, { type: 'server_error', code: null, message: 'Gateway timeout.' }],
]);

const CLIENT_ERROR: ErrorShape = { type: 'invalid_request_error', code: null, message: 'Invalid request.' };
const SERVER_ERROR: ErrorShape = BY_STATUS.get(500) as ErrorShape;

const CONTEXT_MESSAGE =
  "This model's maximum context length is 128000 tokens. However, your messages resulted in 200000 tokens. " +
  'Please reduce the length of the messages.';
const POLICY_MESSAGE =
  'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.';

export interface OpenAIErrorBody {
  error: { message: string; type: string | null; param: string | null; code: string | null };
}

/** The `{error:{message,type,param,code}}` body OpenAI sends for `error`. */
export function openaiErrorBody(error: MockError): OpenAIErrorBody {
  if (error.kind === 'context_window') {
    return body(error.message ?? CONTEXT_MESSAGE, 'invalid_request_error', 'messages', 'context_length_exceeded');
  }
  if (error.kind === 'content_policy') {
    return body(error.message ?? POLICY_MESSAGE, 'invalid_request_error', null, 'content_policy_violation');
  }
  const shape = BY_STATUS.get(error.status) ?? (error.status >= 500 ? SERVER_ERROR : CLIENT_ERROR);
  const code = error.kind === 'invalid_request' || error.kind === 'not_found' ? null : shape.code;
  return body(error.message ?? shape.message, shape.type, null, code);
}

/** The in-stream error OpenAI sends as a `data:` event when generation fails mid-stream. */
export const STREAM_ERROR_BODY: OpenAIErrorBody = openaiErrorBody({ kind: 'status', status: 500, message: undefined });

function body(message: string, type: string | null, param: string | null, code: string | null): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

function bearer(ctx: MockContext): string | undefined {
  return ctx.req.headers.authorization;
}

export const openaiProtocol: WireProtocol = {
  name: 'openai',
  // Any key is accepted; exactly "Bearer invalid" is rejected so auth failures can be tested.
  precheck(ctx) {
    if (bearer(ctx) !== 'Bearer invalid') return undefined;
    return { kind: 'auth', status: 401, message: 'Incorrect API key provided: invalid. You can find your API key at https://platform.openai.com/account/api-keys.' };
  },
  sendError(ctx, error) {
    sendJson(ctx, error.status, openaiErrorBody(error), { 'x-request-id': ctx.nextId('req_') });
  },
};

const AZURE_AUTH_MESSAGE =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an ' +
  'active subscription and use a correct regional API endpoint for your resource.';
const AZURE_FILTER_MESSAGE =
  "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. " +
  'Please modify your prompt and retry.';

/** Azure OpenAI: same bodies as OpenAI except auth, missing api-version and content filtering. */
export const azureProtocol: WireProtocol = {
  name: 'azure',
  precheck(ctx) {
    const key = ctx.req.headers['api-key'];
    if (key === 'invalid' || bearer(ctx) === 'Bearer invalid') return { kind: 'auth', status: 401, message: AZURE_AUTH_MESSAGE };
    if (!ctx.query.includes('api-version=')) return { kind: 'not_found', status: 404, message: 'Resource not found' };
    return undefined;
  },
  sendError(ctx, error) {
    const headers = { 'apim-request-id': ctx.nextId('') };
    if (error.kind === 'auth' || error.kind === 'not_found' || error.status === 429) {
      sendJson(ctx, error.status, { error: { code: String(error.status), message: error.message ?? openaiErrorBody(error).error.message } }, headers);
    } else if (error.kind === 'content_policy') {
      sendJson(ctx, 400, azureFilterBody(), headers);
    } else {
      sendJson(ctx, error.status, openaiErrorBody(error), headers);
    }
  },
};

function azureFilterBody(): unknown {
  const safe = { filtered: false, severity: 'safe' };
  return {
    error: {
      message: AZURE_FILTER_MESSAGE,
      type: null,
      param: 'prompt',
      code: 'content_filter',
      status: 400,
      innererror: {
        code: 'ResponsibleAIPolicyViolation',
        content_filter_result: { hate: safe, self_harm: safe, sexual: safe, violence: { filtered: true, severity: 'medium' } },
      },
    },
  };
}
