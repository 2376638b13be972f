// Cohere v2's `{id, message}` error bodies and bearer-token check.
import { sendJson } from '../send.js';
import type { MockError, WireProtocol } from '../types.js';

const BY_STATUS: ReadonlyMap<number, string> = new Map([
  [400, 'invalid request'],
  [401, 'invalid api token'],
  [402, 'Please add or update your payment method'],
  [404, 'model not found'],
  [422, 'unprocessable entity'],
  [429, 'You are using a Trial key, which is limited to 10 API calls / minute. Please try again later.'],
  [499, 'request cancelled'],
  [500, 'internal server error, this has been reported to our developers'],
  [503, 'service unavailable'],
  [504, 'request timed out'],
]);

const CONTEXT_MESSAGE =
  'too many tokens: total number of tokens in the prompt cannot exceed 128000 - received 130000. ' +
  'Try using a shorter prompt, or enabling prompt truncating.';
const POLICY_MESSAGE =
  'blocked output: please adjust your prompt and try again, as this request may be flagged for containing harmful or unsafe content.';

export function cohereErrorMessage(error: MockError): string {
  if (error.message !== undefined) return error.message;
  if (error.kind === 'context_window') return CONTEXT_MESSAGE;
  if (error.kind === 'content_policy') return POLICY_MESSAGE;
  return BY_STATUS.get(error.status) ?? (error.status >= 500 ? 'internal server error' : 'invalid request');
}

export const cohereProtocol: WireProtocol = {
  name: 'cohere',
  precheck(ctx) {
    const auth = ctx.req.headers.authorization;
    if (auth === undefined || auth === '') return { kind: 'auth', status: 401, message: 'no api key supplied' };
    if (auth.toLowerCase() === 'bearer invalid') return { kind: 'auth', status: 401, message: 'invalid api token' };
    return undefined;
  },
  sendError(ctx, error) {
    sendJson(ctx, error.status, { id: ctx.nextId(''), message: cohereErrorMessage(error) });
  },
};
