// OpenAI chat/embedding request → Cohere v2 /v2/chat and /v2/embed bodies (v2 messages and tools are OpenAI-like).
import { invalidRequest } from '../../core/errors.js';
import { isJsonObject, type JsonObject } from '../../core/json.js';
import { embeddingInputsOf, jsonModeOf, maxTokensOf, messagesOf, numberOf, stopSequencesOf, textOf, toolChoiceOf, toolsOf } from '../../core/openai-request.js';

function mapMessage(message: JsonObject): JsonObject {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textOf(message.content) };
    case 'user':
      return { role: 'user', content: message.content ?? '' };
    case 'assistant': {
      const out: JsonObject = { role: 'assistant' };
      const text = textOf(message.content);
      if (text !== '') out.content = text;
      if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
        out.tool_calls = message.tool_calls;
        out.tool_plan = text === '' ? 'I will use the tools.' : text;
        delete out.content;
      }
      return out;
    }
    case 'tool':
    case 'function':
      return { role: 'tool', tool_call_id: String(message.tool_call_id ?? ''), content: textOf(message.content) };
    default:
      throw invalidRequest(`Unknown message role '${String(message.role)}'.`, 'messages');
  }
}

export function mapChatRequest(body: JsonObject): JsonObject {
  const out: JsonObject = { model: body.model, messages: messagesOf(body).map(mapMessage) };
  const tools = toolsOf(body);
  if (tools.length > 0) {
    out.tools = tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description ?? '', parameters: tool.parameters ?? { type: 'object', properties: {} } } }));
  }
  const choice = toolChoiceOf(body);
  if (choice !== null && choice.mode === 'named') throw invalidRequest('Cohere cannot force a named tool; use tool_choice "required".', 'tool_choice');
  if (choice !== null && choice.mode !== 'auto') out.tool_choice = choice.mode === 'required' ? 'REQUIRED' : 'NONE';
  const copy: ReadonlyArray<readonly [string, string]> = [
    ['temperature', 'temperature'], ['top_p', 'p'], ['top_k', 'k'], ['seed', 'seed'],
    ['frequency_penalty', 'frequency_penalty'], ['presence_penalty', 'presence_penalty'],
  ];
  for (const [from, to] of copy) if (numberOf(body[from]) !== undefined) out[to] = body[from];
  const maxTokens = maxTokensOf(body);
  if (maxTokens !== undefined) out.max_tokens = maxTokens;
  const stop = stopSequencesOf(body);
  if (stop !== undefined && stop.length > 0) out.stop_sequences = stop;
  const json = jsonModeOf(body);
  if (json !== null) out.response_format = json.schema === null ? { type: 'json_object' } : { type: 'json_object', json_schema: json.schema };
  if (body.stream === true) out.stream = true;
  return out;
}

export function mapEmbedRequest(body: JsonObject): JsonObject {
  const out: JsonObject = {
    model: body.model,
    texts: embeddingInputsOf(body),
    input_type: typeof body.input_type === 'string' ? body.input_type : 'search_document',
    embedding_types: ['float'],
  };
  if (numberOf(body.dimensions) !== undefined) out.output_dimension = body.dimensions;
  if (isJsonObject(body.truncate) || typeof body.truncate === 'string') out.truncate = body.truncate;
  return out;
}
