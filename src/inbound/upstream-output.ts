// Errors for upstream answers an inbound translator cannot read: the contract's 502, never a crash.
import { GatewayError } from '../core/errors.js';
import { isJsonObject, type JsonValue } from '../core/json.js';

export function badUpstreamOutput(detail: string): GatewayError {
  return new GatewayError({ reason: 'upstream', status: 502, message: `Invalid response from the upstream provider: ${detail}.` });
}

export function parseUpstreamJson(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw badUpstreamOutput(`malformed JSON (${text.length} bytes)`);
  }
}

/** An `{"error":{…}}` event inside an OpenAI stream: the provider failed part-way. */
export function streamedError(value: JsonValue): GatewayError | null {
  if (!isJsonObject(value) || !isJsonObject(value.error)) return null;
  const error = value.error;
  const code = Number(error.code ?? error.status);
  const status = Number.isInteger(code) && code >= 400 && code <= 599 ? code : 500;
  const message = typeof error.message === 'string' && error.message !== '' ? error.message : 'The upstream provider failed mid-stream.';
  return new GatewayError({ reason: 'upstream', status, message });
}

/** The stream stopped before the provider said it was complete (no finish_reason, no [DONE]). */
export function truncatedStream(): GatewayError {
  return badUpstreamOutput('the stream ended before the answer was complete');
}
