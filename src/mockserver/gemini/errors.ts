// Gemini (AI Studio) and Vertex AI error bodies and credential checks; the two differ only in auth.
import { sendJson } from '../send.js';
import type { MockContext, MockError, WireProtocol } from '../types.js';
import { geminiErrorBody } from './error-body.js';
import { sendSafetyBlock } from './safety.js';

const NO_KEY_MESSAGE =
  "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
const BAD_KEY_MESSAGE = 'API key not valid. Please pass a valid API key.';
const VERTEX_AUTH_MESSAGE =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.';

function sendGeminiError(ctx: MockContext, error: MockError): void {
  // Gemini has no content-policy error for generation: it answers 200 with finishReason SAFETY.
  if (error.kind === 'content_policy' && ctx.path.endsWith('enerateContent')) sendSafetyBlock(ctx);
  else sendJson(ctx, error.status, geminiErrorBody(error));
}

function apiKey(ctx: MockContext): string | null {
  const header = ctx.req.headers['x-goog-api-key'];
  if (typeof header === 'string') return header;
  return ctx.query.length === 0 ? null : new URLSearchParams(ctx.query).get('key');
}

export const geminiProtocol: WireProtocol = {
  name: 'gemini',
  precheck(ctx) {
    const key = apiKey(ctx);
    if (key === null || key === '') return { kind: 'auth', status: 403, message: NO_KEY_MESSAGE };
    if (key === 'invalid') return { kind: 'auth', status: 400, message: BAD_KEY_MESSAGE };
    return undefined;
  },
  sendError: sendGeminiError,
};

export const vertexProtocol: WireProtocol = {
  name: 'vertex',
  precheck(ctx) {
    const auth = ctx.req.headers.authorization;
    if (auth === undefined || !auth.startsWith('Bearer ') || auth === 'Bearer invalid') {
      return { kind: 'auth', status: 401, message: VERTEX_AUTH_MESSAGE };
    }
    return undefined;
  },
  sendError: sendGeminiError,
};
