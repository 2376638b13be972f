// Frame builders for the text streaming formats: SSE with and without event names, and NDJSON.

/** `data: {json}` followed by a blank line (OpenAI chat/completions, Cohere-free formats). */
export function sseData(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** `event: name` + `data: {json}` (Anthropic, OpenAI Responses, Cohere). */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Gemini's `alt=sse` streams terminate each event with CRLF CRLF. */
export function sseDataCrlf(data: unknown): string {
  return `data: ${JSON.stringify(data)}\r\n\r\n`;
}

/** One JSON object per line (Ollama). */
export function ndjson(data: unknown): string {
  return `${JSON.stringify(data)}\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';
export const SSE_TYPE = 'text/event-stream';
export const NDJSON_TYPE = 'application/x-ndjson';
