// OpenAI chat request → Anthropic Messages request (system, content parts, tools, tool results, JSON mode, thinking).
import { invalidRequest } from '../../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import {
  imageUrlOf, jsonModeOf, maxTokensOf, messagesOf, numberOf, parseDataUrl, parseToolArguments, reasoningBudgetOf,
  stopSequencesOf, toolChoiceOf, toolsOf,
} from '../../core/openai-request.js';

/** LiteLLM's default when the client sends no max_tokens (Anthropic requires one). */
export const DEFAULT_MAX_TOKENS = 4096;
/** LiteLLM's name for the tool that carries `response_format` answers; its call is turned back into content. */
export const JSON_TOOL_NAME = 'json_tool_call';

type Block = JsonObject;

function withCache(block: Block, part: JsonObject): Block {
  if (part.cache_control !== undefined) block.cache_control = part.cache_control;
  return block;
}

function imageBlock(part: JsonObject): Block {
  const url = imageUrlOf(part);
  const data = parseDataUrl(url);
  const source = data === null ? { type: 'url', url } : { type: 'base64', media_type: data.mediaType, data: data.data };
  return withCache({ type: 'image', source }, part);
}

function contentBlocks(content: JsonValue | undefined): Block[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw invalidRequest('message content must be a string or an array of parts.', 'messages');
  const blocks: Block[] = [];
  for (const part of content) {
    if (!isJsonObject(part)) throw invalidRequest('content parts must be objects.', 'messages');
    if (part.type === 'text') blocks.push(withCache({ type: 'text', text: typeof part.text === 'string' ? part.text : '' }, part));
    else if (part.type === 'image_url') blocks.push(imageBlock(part));
    else throw invalidRequest(`content part type '${String(part.type)}' is not supported for Anthropic.`, 'messages');
  }
  return blocks;
}

function assistantBlocks(message: JsonObject): Block[] {
  const blocks = contentBlocks(message.content);
  const calls = message.tool_calls;
  if (Array.isArray(calls)) {
    for (const call of calls) {
      if (!isJsonObject(call) || !isJsonObject(call.function)) throw invalidRequest('tool_calls entries need a function.', 'messages');
      blocks.push({ type: 'tool_use', id: String(call.id ?? ''), name: String(call.function.name ?? ''), input: parseToolArguments(call.function.arguments) });
    }
  }
  return blocks;
}

function toolResultBlock(message: JsonObject): Block {
  const content = message.content;
  const block: Block = { type: 'tool_result', tool_use_id: String(message.tool_call_id ?? '') };
  block.content = typeof content === 'string' ? content : contentBlocks(content);
  return block;
}

/** Anthropic wants alternating turns: consecutive same-role messages are merged. */
function pushTurn(turns: JsonObject[], role: 'user' | 'assistant', blocks: Block[]): void {
  if (blocks.length === 0) return;
  const last = turns[turns.length - 1];
  if (last !== undefined && last.role === role) (last.content as Block[]).push(...blocks);
  else turns.push({ role, content: blocks });
}

function mapMessages(body: JsonObject): { system: Block[]; turns: JsonObject[] } {
  const system: Block[] = [];
  const turns: JsonObject[] = [];
  for (const message of messagesOf(body)) {
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...contentBlocks(message.content));
        break;
      case 'user':
        pushTurn(turns, 'user', contentBlocks(message.content));
        break;
      case 'assistant':
        pushTurn(turns, 'assistant', assistantBlocks(message));
        break;
      case 'tool':
      case 'function':
        pushTurn(turns, 'user', [toolResultBlock(message)]);
        break;
      default:
        throw invalidRequest(`Unknown message role '${String(message.role)}'.`, 'messages');
    }
  }
  return { system, turns };
}

function mapTools(body: JsonObject, out: JsonObject): void {
  const tools: JsonObject[] = toolsOf(body).map((tool) => {
    const mapped: JsonObject = { name: tool.name, input_schema: tool.parameters ?? { type: 'object', properties: {} } };
    if (tool.description !== undefined) mapped.description = tool.description;
    if (tool.cacheControl !== undefined) mapped.cache_control = tool.cacheControl;
    return mapped;
  });
  const choice = toolChoiceOf(body);
  const json = jsonModeOf(body);
  if (json !== null) {
    // LiteLLM's approach: a forced tool whose input is the JSON answer.
    tools.push({ name: JSON_TOOL_NAME, description: `Respond with a JSON object (${json.name}).`, input_schema: json.schema ?? { type: 'object', additionalProperties: true } });
    out.tool_choice = { type: 'tool', name: JSON_TOOL_NAME };
  } else if (choice !== null) {
    out.tool_choice = choice.mode === 'named' ? { type: 'tool', name: choice.name } : { type: choice.mode === 'required' ? 'any' : choice.mode };
  }
  if (body.parallel_tool_calls === false && isJsonObject(out.tool_choice)) out.tool_choice.disable_parallel_tool_use = true;
  if (tools.length > 0) out.tools = tools;
}

export function mapChatRequest(body: JsonObject): JsonObject {
  const { system, turns } = mapMessages(body);
  const out: JsonObject = { model: body.model, messages: turns, max_tokens: maxTokensOf(body) ?? DEFAULT_MAX_TOKENS };
  if (system.length > 0) out.system = system;
  for (const key of ['temperature', 'top_p', 'top_k'] as const) if (numberOf(body[key]) !== undefined) out[key] = body[key];
  const stop = stopSequencesOf(body);
  if (stop !== undefined && stop.length > 0) out.stop_sequences = stop;
  mapTools(body, out);
  const budget = reasoningBudgetOf(body);
  if (isJsonObject(body.thinking)) out.thinking = body.thinking;
  else if (budget !== null) out.thinking = { type: 'enabled', budget_tokens: budget };
  if (typeof body.user === 'string') out.metadata = { user_id: body.user };
  if (body.stream === true) out.stream = true;
  return out;
}
