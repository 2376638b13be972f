// Builds the Responses API `response` object and its output items, shared by the JSON and streamed forms.
import type { JsonRecord } from '../json.js';
import type { Reply } from '../reply.js';

/** Ids and request echoes fixed once per response, shared by the JSON and streamed forms. */
export interface ResponseBase {
  id: string;
  itemId: string;
  callId: string;
  createdAt: number;
  body: JsonRecord;
  model: string;
}

/** The `response` object; `done` false gives the in-progress snapshot sent by response.created. */
export function responseObject(base: ResponseBase, reply: Reply, done: boolean): JsonRecord {
  const incomplete = reply.finish === 'length';
  const b = base.body;
  return {
    id: base.id,
    object: 'response',
    created_at: base.createdAt,
    status: !done ? 'in_progress' : incomplete ? 'incomplete' : 'completed',
    background: false,
    error: null,
    incomplete_details: done && incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: b.instructions ?? null,
    max_output_tokens: b.max_output_tokens ?? null,
    model: base.model,
    output: done ? [outputItem(base, reply, true)] : [],
    parallel_tool_calls: true,
    previous_response_id: b.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: b.store ?? true,
    temperature: b.temperature ?? 1,
    text: b.text ?? { format: { type: 'text' } },
    tool_choice: b.tool_choice ?? 'auto',
    tools: b.tools ?? [],
    top_p: b.top_p ?? 1,
    truncation: 'disabled',
    usage: done ? responseUsage(reply) : null,
    user: null,
    metadata: b.metadata ?? {},
  };
}

/** The single output item; `done` false gives the empty item announced by response.output_item.added. */
export function outputItem(base: ResponseBase, reply: Reply, done: boolean): JsonRecord {
  const status = !done ? 'in_progress' : reply.finish === 'length' ? 'incomplete' : 'completed';
  const call = reply.toolCall;
  if (call !== undefined) {
    const args = done ? call.argsJson : '';
    return { id: base.itemId, type: 'function_call', status, arguments: args, call_id: base.callId, name: call.name };
  }
  return { id: base.itemId, type: 'message', status, role: 'assistant', content: done ? [textPart(reply.text)] : [] };
}

export function textPart(text: string): JsonRecord {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

function responseUsage(reply: Reply): JsonRecord {
  return {
    input_tokens: reply.promptTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: reply.completionTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: reply.promptTokens + reply.completionTokens,
  };
}
