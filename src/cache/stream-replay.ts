// Replays a cached non-stream body as an OpenAI SSE stream: same chunk format, usage when the client asked for it.
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';

function frame(event: JsonObject): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}

function chatDeltas(choice: JsonObject): JsonObject[] {
  const message = isJsonObject(choice.message) ? choice.message : {};
  const first: JsonObject = { role: typeof message.role === 'string' ? message.role : 'assistant', content: '' };
  const deltas: JsonObject[] = [first];
  if (typeof message.reasoning_content === 'string') deltas.push({ reasoning_content: message.reasoning_content });
  if (typeof message.content === 'string' && message.content !== '') deltas.push({ content: message.content });
  if (Array.isArray(message.tool_calls)) {
    const calls = message.tool_calls.map((call, index) => (isJsonObject(call) ? { index, ...call } : call));
    deltas.push({ tool_calls: calls });
  }
  return deltas;
}

/** The whole SSE body for a cached chat.completion or text_completion. */
export function replayAsStream(cached: JsonObject, includeUsage: boolean): string {
  const isText = cached.object === 'text_completion';
  const base: JsonObject = { id: cached.id ?? null, object: isText ? 'text_completion' : 'chat.completion.chunk', created: cached.created ?? 0, model: cached.model ?? null };
  if (cached.system_fingerprint !== undefined) base.system_fingerprint = cached.system_fingerprint;
  let out = '';
  const choices: JsonValue[] = Array.isArray(cached.choices) ? cached.choices : [];
  for (const raw of choices) {
    if (!isJsonObject(raw)) continue;
    const index = typeof raw.index === 'number' ? raw.index : 0;
    const finish = raw.finish_reason ?? 'stop';
    if (isText) {
      out += frame({ ...base, choices: [{ index, text: typeof raw.text === 'string' ? raw.text : '', logprobs: null, finish_reason: null }] });
      out += frame({ ...base, choices: [{ index, text: '', logprobs: null, finish_reason: finish }] });
      continue;
    }
    for (const delta of chatDeltas(raw)) out += frame({ ...base, choices: [{ index, delta, logprobs: null, finish_reason: null }] });
    out += frame({ ...base, choices: [{ index, delta: {}, logprobs: null, finish_reason: finish }] });
  }
  if (includeUsage && cached.usage !== undefined) out += frame({ ...base, choices: [], usage: cached.usage });
  return out + 'data: [DONE]\n\n';
}
