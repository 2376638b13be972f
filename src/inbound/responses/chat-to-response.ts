// OpenAI chat completion → Responses API `response` object: output message and function_call items, usage.
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import { badUpstreamOutput } from '../upstream-output.js';

/** Request fields the response object echoes, fixed once per request. */
export interface ResponseEcho {
  model: string;
  request: JsonObject;
}

/** `resp_…` from the chat id, so logs on both sides can be matched. */
export function idSuffix(chatId: JsonValue | undefined): string {
  if (typeof chatId !== 'string' || chatId === '') return Date.now().toString(36);
  return chatId.startsWith('chatcmpl-') ? chatId.slice(9) : chatId;
}

function count(value: JsonValue | undefined): number {
  return typeof value === 'number' && value >= 0 ? value : 0;
}

export function responseUsage(usage: JsonValue | undefined): JsonObject | null {
  if (!isJsonObject(usage)) return null;
  const prompt = isJsonObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completion = isJsonObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: count(prompt.cached_tokens) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: count(completion.reasoning_tokens) },
    total_tokens: count(usage.total_tokens) || input + output,
  };
}

export function textPart(text: string): JsonObject {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function messageItem(id: string, text: string, status: string): JsonObject {
  return { id, type: 'message', status, role: 'assistant', content: status === 'in_progress' ? [] : [textPart(text)] };
}

export function functionCallItem(callId: string, name: string, args: string, status: string): JsonObject {
  return { id: `fc_${callId}`, type: 'function_call', status, arguments: args, call_id: callId, name };
}

/** The `response` object; `output` and `usage` are filled in once the answer is complete. */
export function responseObject(id: string, createdAt: number, echo: ResponseEcho, status: string, output: JsonObject[], usage: JsonObject | null): JsonObject {
  const request = echo.request;
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: echo.model,
    output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: isJsonObject(request.reasoning) ? (request.reasoning.effort ?? null) : null, summary: null },
    store: false,
    temperature: request.temperature ?? 1,
    text: request.text ?? { format: { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    usage,
    user: request.user ?? null,
    metadata: request.metadata ?? {},
  };
}

export function chatToResponse(completion: JsonValue, echo: ResponseEcho): JsonObject {
  if (!isJsonObject(completion) || !Array.isArray(completion.choices)) throw badUpstreamOutput('a chat completion without choices');
  const choice = completion.choices[0];
  if (!isJsonObject(choice) || !isJsonObject(choice.message)) throw badUpstreamOutput('a chat completion without a message');
  const message = choice.message;
  const suffix = idSuffix(completion.id);
  const output: JsonObject[] = [];
  if (typeof message.content === 'string' && message.content !== '') output.push(messageItem(`msg_${suffix}`, message.content, 'completed'));
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      if (!isJsonObject(call) || !isJsonObject(call.function)) continue;
      const fn = call.function;
      output.push(functionCallItem(typeof call.id === 'string' ? call.id : `call_${output.length}`, typeof fn.name === 'string' ? fn.name : '', typeof fn.arguments === 'string' ? fn.arguments : '', 'completed'));
    }
  }
  if (output.length === 0) output.push(messageItem(`msg_${suffix}`, '', 'completed'));
  const status = choice.finish_reason === 'length' ? 'incomplete' : 'completed';
  const created = typeof completion.created === 'number' ? completion.created : Math.floor(Date.now() / 1000);
  return responseObject(`resp_${suffix}`, created, echo, status, output, responseUsage(completion.usage));
}
