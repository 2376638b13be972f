// Anthropic Messages request → OpenAI chat request: system, content blocks, tools, tool results, stop, thinking.
import { invalidRequest, type GatewayError } from '../../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import { checkOptional, dataUrl, objectAt, stringAt, wrongType } from '../json-fields.js';

/** The chat body, plus the first thing only a native Anthropic deployment could carry (a 400 for translated ones). */
export interface TranslatedRequest {
  chat: JsonObject;
  problem: GatewayError | null;
}

const ROLES: ReadonlySet<string> = new Set(['user', 'assistant']);

/** Mutable state of one translation: where the first untranslatable feature was met. */
class Translation {
  problem: GatewayError | null = null;
  unsupported(param: string, what: string): void {
    if (this.problem === null) {
      this.problem = invalidRequest(`${what} is only supported when the model is an Anthropic deployment (it has no OpenAI chat equivalent).`, param);
    }
  }
}

function systemText(system: JsonValue | undefined): string | null {
  if (system === undefined || system === null) return null;
  if (typeof system === 'string') return system;
  if (!Array.isArray(system)) throw wrongType('system', 'string or array', system);
  let text = '';
  for (let index = 0; index < system.length; index++) {
    const block = objectAt(system[index], `system[${index}]`);
    const piece = stringAt(block.text, `system[${index}].text`);
    text = text === '' ? piece : `${text}\n${piece}`;
  }
  return text;
}

function imagePart(block: JsonObject, param: string): JsonObject {
  const source = objectAt(block.source, `${param}.source`);
  if (source.type === 'url') return { type: 'image_url', image_url: { url: stringAt(source.url, `${param}.source.url`) } };
  if (source.type === 'base64') {
    const url = dataUrl(stringAt(source.media_type, `${param}.source.media_type`), stringAt(source.data, `${param}.source.data`));
    return { type: 'image_url', image_url: { url } };
  }
  throw invalidRequest(`Invalid value for '${param}.source.type': expected 'base64' or 'url'.`, `${param}.source.type`);
}

function documentPart(block: JsonObject, param: string, state: Translation): JsonObject | null {
  const source = isJsonObject(block.source) ? block.source : {};
  if (source.type === 'text' && typeof source.data === 'string') return { type: 'text', text: source.data };
  if (source.type === 'base64' && typeof source.data === 'string' && typeof source.media_type === 'string') {
    return { type: 'file', file: { file_data: dataUrl(source.media_type, source.data), filename: typeof block.title === 'string' ? block.title : 'document' } };
  }
  state.unsupported(param, `A document block with source type '${String(source.type)}'`);
  return null;
}

/** Text of a tool_result's content (string or blocks); images inside become parts of a follow-up user message. */
function toolResultText(content: JsonValue | undefined, param: string, images: JsonObject[]): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw wrongType(`${param}.content`, 'string or array', content);
  let text = '';
  for (let index = 0; index < content.length; index++) {
    const part = objectAt(content[index], `${param}.content[${index}]`);
    if (part.type === 'text') text += stringAt(part.text, `${param}.content[${index}].text`);
    else if (part.type === 'image') images.push(imagePart(part, `${param}.content[${index}]`));
  }
  return text;
}

function userMessages(content: JsonValue[], param: string, out: JsonObject[], state: Translation): void {
  const parts: JsonObject[] = [];
  const images: JsonObject[] = [];
  for (let index = 0; index < content.length; index++) {
    const blockParam = `${param}.content[${index}]`;
    const block = objectAt(content[index], blockParam);
    switch (block.type) {
      case 'text':
        parts.push({ type: 'text', text: stringAt(block.text, `${blockParam}.text`) });
        break;
      case 'image':
        parts.push(imagePart(block, blockParam));
        break;
      case 'document': {
        const part = documentPart(block, blockParam, state);
        if (part !== null) parts.push(part);
        break;
      }
      case 'tool_result': {
        const text = toolResultText(block.content, blockParam, images);
        const id = stringAt(block.tool_use_id, `${blockParam}.tool_use_id`);
        // Tool results must follow the assistant's tool calls directly, so they go before the user's other content.
        out.push({ role: 'tool', tool_call_id: id, content: block.is_error === true && text === '' ? 'Error' : text });
        break;
      }
      default:
        if (typeof block.type !== 'string') throw wrongType(`${blockParam}.type`, 'string', block.type);
        state.unsupported(`${blockParam}.type`, `A '${block.type}' content block in a user message`);
    }
  }
  for (const image of images) parts.push(image);
  if (parts.length === 0) return;
  const only = parts[0]!;
  out.push({ role: 'user', content: parts.length === 1 && only.type === 'text' ? only.text! : parts });
}

function assistantMessage(content: JsonValue[], param: string, out: JsonObject[], state: Translation): void {
  let text = '';
  let toolCalls: JsonObject[] | null = null;
  for (let index = 0; index < content.length; index++) {
    const blockParam = `${param}.content[${index}]`;
    const block = objectAt(content[index], blockParam);
    if (block.type === 'text') text += stringAt(block.text, `${blockParam}.text`);
    else if (block.type === 'tool_use') {
      const call = {
        id: stringAt(block.id, `${blockParam}.id`),
        type: 'function',
        function: { name: stringAt(block.name, `${blockParam}.name`), arguments: JSON.stringify(block.input ?? {}) },
      };
      (toolCalls ??= []).push(call);
    } else if (block.type !== 'thinking' && block.type !== 'redacted_thinking') {
      // Earlier thinking has no chat equivalent and is dropped, as LiteLLM does; other blocks cannot be carried.
      if (typeof block.type !== 'string') throw wrongType(`${blockParam}.type`, 'string', block.type);
      state.unsupported(`${blockParam}.type`, `A '${block.type}' content block in an assistant message`);
    }
  }
  const message: JsonObject = { role: 'assistant', content: text === '' && toolCalls !== null ? null : text };
  if (toolCalls !== null) message.tool_calls = toolCalls;
  out.push(message);
}

function chatMessages(body: JsonObject, state: Translation): JsonObject[] {
  const messages = body.messages;
  if (!Array.isArray(messages)) throw wrongType('messages', 'array', messages);
  if (messages.length === 0) throw invalidRequest("'messages' must contain at least one message.", 'messages');
  const out: JsonObject[] = [];
  const system = systemText(body.system);
  if (system !== null && system !== '') out.push({ role: 'system', content: system });
  for (let index = 0; index < messages.length; index++) {
    const param = `messages[${index}]`;
    const message = objectAt(messages[index], param);
    const role = message.role;
    if (typeof role !== 'string' || !ROLES.has(role)) {
      throw invalidRequest(`Invalid value for '${param}.role': expected 'user' or 'assistant'.`, `${param}.role`);
    }
    const content = message.content;
    if (typeof content === 'string') out.push({ role, content });
    else if (!Array.isArray(content)) throw wrongType(`${param}.content`, 'string or array', content);
    else if (role === 'user') userMessages(content, param, out, state);
    else assistantMessage(content, param, out, state);
  }
  return out;
}

function chatTools(tools: JsonValue | undefined, state: Translation): JsonObject[] | null {
  if (tools === undefined || tools === null) return null;
  if (!Array.isArray(tools)) throw wrongType('tools', 'array', tools);
  const out: JsonObject[] = [];
  for (let index = 0; index < tools.length; index++) {
    const tool = objectAt(tools[index], `tools[${index}]`);
    const name = stringAt(tool.name, `tools[${index}].name`);
    if (tool.input_schema === undefined) {
      state.unsupported(`tools[${index}]`, `The server tool '${name}'`);
      continue;
    }
    const fn: JsonObject = { name, parameters: objectAt(tool.input_schema, `tools[${index}].input_schema`) };
    if (typeof tool.description === 'string') fn.description = tool.description;
    out.push({ type: 'function', function: fn });
  }
  return out;
}

function chatToolChoice(choice: JsonValue | undefined, chat: JsonObject): void {
  if (choice === undefined || choice === null) return;
  const value = objectAt(choice, 'tool_choice');
  switch (value.type) {
    case 'auto':
      chat.tool_choice = 'auto';
      break;
    case 'any':
      chat.tool_choice = 'required';
      break;
    case 'none':
      chat.tool_choice = 'none';
      break;
    case 'tool':
      chat.tool_choice = { type: 'function', function: { name: stringAt(value.name, 'tool_choice.name') } };
      break;
    default:
      throw invalidRequest("Invalid value for 'tool_choice.type': expected 'auto', 'any', 'tool' or 'none'.", 'tool_choice.type');
  }
  if (value.disable_parallel_tool_use === true) chat.parallel_tool_calls = false;
}

/** Anthropic's thinking budget as OpenAI's reasoning effort (LiteLLM's thresholds). */
export function effortOfBudget(budget: number): string {
  if (budget <= 1024) return 'low';
  if (budget <= 8192) return 'medium';
  return 'high';
}

const NUMBER_FIELDS = ['temperature', 'top_p', 'top_k'] as const;

export function anthropicToChat(body: JsonObject, requireMaxTokens: boolean): TranslatedRequest {
  if (typeof body.model !== 'string' || body.model === '') throw wrongType('model', 'non-empty string', body.model);
  if (requireMaxTokens && typeof body.max_tokens !== 'number') throw wrongType('max_tokens', 'number', body.max_tokens);
  for (const field of NUMBER_FIELDS) checkOptional(body, field, 'number');
  checkOptional(body, 'stream', 'boolean');
  checkOptional(body, 'stop_sequences', 'array');
  checkOptional(body, 'metadata', 'object');
  checkOptional(body, 'thinking', 'object');
  const state = new Translation();
  const chat: JsonObject = { model: body.model, messages: chatMessages(body, state) };
  if (typeof body.max_tokens === 'number') chat.max_tokens = body.max_tokens;
  if (body.temperature !== undefined) chat.temperature = body.temperature;
  if (body.top_p !== undefined) chat.top_p = body.top_p;
  if (Array.isArray(body.stop_sequences) && body.stop_sequences.length > 0) chat.stop = body.stop_sequences;
  const tools = chatTools(body.tools, state);
  if (tools !== null && tools.length > 0) chat.tools = tools;
  chatToolChoice(body.tool_choice, chat);
  const metadata = body.metadata;
  if (isJsonObject(metadata) && typeof metadata.user_id === 'string') chat.user = metadata.user_id;
  const thinking = body.thinking;
  if (isJsonObject(thinking) && thinking.type === 'enabled' && typeof thinking.budget_tokens === 'number') {
    chat.reasoning_effort = effortOfBudget(thinking.budget_tokens);
  }
  if (typeof body.mock_response === 'string') chat.mock_response = body.mock_response;
  if (body.stream === true) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return { chat, problem: state.problem };
}
