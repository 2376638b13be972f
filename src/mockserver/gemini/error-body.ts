// Google's `{error:{code,message,status}}` body, shared by Gemini and Vertex AI.
import type { MockError } from '../types.js';

interface ErrorShape {
  status: string;
  message: string;
}

const BY_STATUS: ReadonlyMap<number, ErrorShape> = new Map([
  [400, { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' }],
  [401, { status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' }],
  [403, { status: 'PERMISSION_DENIED', message: 'The caller does not have permission.' }],
  [404, { status: 'NOT_FOUND', message: 'Requested entity was not found.' }],
  [409, { status: 'ABORTED', message: 'The operation was aborted.' }],
  [429, { status: 'RESOURCE_EXHAUSTED', message: 'Resource has been exhausted (e.g. check quota).' }],
  [499, { status: 'CANCELLED', message: 'The operation was cancelled.' }],
  [500, { status: 'INTERNAL', message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting' }],
  [501, { status: 'UNIMPLEMENTED', message: 'Operation is not implemented.' }],
  [503, { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' }],
  [504, { status: 'DEADLINE_EXCEEDED', message: 'Deadline expired before operation could complete.' }],
]);

const CLIENT_ERROR = BY_STATUS.get(400) as ErrorShape;
const SERVER_ERROR = BY_STATUS.get(500) as ErrorShape;
const CONTEXT_MESSAGE = 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).';
export interface GeminiErrorBody {
  error: { code: number; message: string; status: string };
}

export function geminiErrorBody(error: MockError): GeminiErrorBody {
  const shape = BY_STATUS.get(error.status) ?? (error.status >= 500 ? SERVER_ERROR : CLIENT_ERROR);
  const message = error.kind === 'context_window' ? (error.message ?? CONTEXT_MESSAGE) : (error.message ?? shape.message);
  return { error: { code: error.status, message, status: shape.status } };
}

/** Sent as a `data:` event when a stream fails part-way. */
export const STREAM_ERROR_BODY = geminiErrorBody({ kind: 'status', status: 500, message: undefined });
