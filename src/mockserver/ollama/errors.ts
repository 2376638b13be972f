// Ollama's `{error: "..."}` bodies; Ollama has no authentication.
import { sendJson } from '../send.js';
import type { MockError, WireProtocol } from '../types.js';

export function ollamaErrorMessage(error: MockError): string {
  if (error.message !== undefined) return error.message;
  switch (error.kind) {
    case 'context_window':
      return 'the input length exceeds the context length';
    case 'content_policy':
      return 'request blocked by content policy';
    default:
      return error.status === 404 ? 'model not found, try pulling it first' : `mock error (status ${error.status})`;
  }
}

export const ollamaProtocol: WireProtocol = {
  name: 'ollama',
  precheck: () => undefined,
  sendError(ctx, error) {
    sendJson(ctx, error.status, { error: ollamaErrorMessage(error) });
  },
};
