// OpenAI Responses request → chat request: input items, instructions, function tools, tool_choice, text format.
import { invalidRequest, type GatewayError } from '../../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import { checkOptional, objectAt, stringAt, wrongType } from '../json-fields.js';

export interface TranslatedRequest {
  chat: JsonObject;
  /** The first feature only a native (OpenAI/Azure) deployment can serve: a 400 for translated ones. */
  problem: GatewayError | null;
}

const MESSAGE_ROLES: ReadonlySet<string> = new Set(['user', 'assistant', 'system', 'developer']);

class Translation {
  problem: GatewayError | null = null;
  unsupported(param: string, what: string): void {
    if (this.problem === null) {
      this.problem = invalidRequest(`${what} is only supported when the model is an OpenAI or Azure deployment (translated deployments have no equivalent).`, param);
    }
  }
}

function contentPart(part: JsonObject, param: string, state: Translation): JsonObject | null {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
    case 'text':
      return { type: 'text', text: stringAt(part.text, `${param}.text`) };
    case 'input_image':
      if (typeof part.image_url === 'string') {
        const image: JsonObject = { url: part.image_url };
        if (typeof part.detail === 'string') image.detail = part.detail;
        return { type: 'image_url', image_url: image };
      }
      state.unsupported(param, 'An input_image by file_id');
      return null;
    case 'input_file':
      if (typeof part.file_data === 'string') return { type: 'file', file: { file_data: part.file_data, filename: typeof part.filename === 'string' ? part.filename : 'file' } };
      if (typeof part.file_id === 'string') return { type: 'file', file: { file_id: part.file_id } };
      state.unsupported(param, 'An input_file by URL');
      return null;
    case 'refusal':
      return { type: 'text', text: typeof part.refusal === 'string' ? part.refusal : '' };
    default:
      if (typeof part.type !== 'string') throw wrongType(`${param}.type`, 'string', part.type);
      state.unsupported(`${param}.type`, `A '${part.type}' content part`);
      return null;
  }
}

function messageContent(content: JsonValue | undefined, param: string, state: Translation): JsonValue {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw wrongType(`${param}.content`, 'string or array', content);
  const parts: JsonObject[] = [];
  for (let index = 0; index < content.length; index++) {
    const part = contentPart(objectAt(content[index], `${param}.content[${index}]`), `${param}.content[${index}]`, state);
    if (part !== null) parts.push(part);
  }
  // Plain text goes as a string: every chat provider takes that, not all take part lists (assistant turns especially).
  let text = '';
  for (const part of parts) {
    if (part.type !== 'text') return parts;
    text += part.text as string;
  }
  return text;
}

/** The assistant message that function calls attach to: the previous one if it is still open, else a new one. */
function assistantFor(out: JsonObject[]): JsonObject {
  const last = out[out.length - 1];
  if (last !== undefined && last.role === 'assistant' && last.open === true) return last;
  const message: JsonObject = { role: 'assistant', content: null, open: true };
  out.push(message);
  return message;
}

function outputText(output: JsonValue | undefined, param: string): string {
  if (typeof output === 'string') return output;
  if (!Array.isArray(output)) throw wrongType(param, 'string or array', output);
  let text = '';
  for (const part of output) if (isJsonObject(part) && typeof part.text === 'string') text += part.text;
  return text;
}

function inputItem(item: JsonObject, param: string, out: JsonObject[], state: Translation): void {
  const type = item.type ?? 'message';
  switch (type) {
    case 'message': {
      const role = item.role;
      if (typeof role !== 'string' || !MESSAGE_ROLES.has(role)) {
        throw invalidRequest(`Invalid value for '${param}.role': expected 'user', 'assistant', 'system' or 'developer'.`, `${param}.role`);
      }
      out.push(role === 'assistant' ? { role, content: messageContent(item.content, param, state), open: true } : { role, content: messageContent(item.content, param, state) });
      return;
    }
    case 'function_call': {
      const message = assistantFor(out);
      const call = { id: stringAt(item.call_id, `${param}.call_id`), type: 'function', function: { name: stringAt(item.name, `${param}.name`), arguments: stringAt(item.arguments, `${param}.arguments`) } };
      if (Array.isArray(message.tool_calls)) message.tool_calls.push(call);
      else message.tool_calls = [call];
      return;
    }
    case 'function_call_output':
      out.push({ role: 'tool', tool_call_id: stringAt(item.call_id, `${param}.call_id`), content: outputText(item.output, `${param}.output`) });
      return;
    case 'reasoning':
      return; // Earlier reasoning has no chat equivalent; dropped as LiteLLM does.
    default:
      if (typeof type !== 'string') throw wrongType(`${param}.type`, 'string', type);
      state.unsupported(`${param}.type`, `An input item of type '${type}'`);
  }
}

function chatMessages(body: JsonObject, state: Translation): JsonObject[] {
  const out: JsonObject[] = [];
  if (typeof body.instructions === 'string' && body.instructions !== '') out.push({ role: 'system', content: body.instructions });
  const input = body.input;
  if (typeof input === 'string') out.push({ role: 'user', content: input });
  else if (Array.isArray(input)) {
    for (let index = 0; index < input.length; index++) inputItem(objectAt(input[index], `input[${index}]`), `input[${index}]`, out, state);
  } else throw wrongType('input', 'string or array', input);
  for (const message of out) delete message.open;
  if (out.length === 0) throw invalidRequest("'input' must contain at least one item.", 'input');
  return out;
}

function chatTools(tools: JsonValue | undefined, state: Translation): JsonObject[] | null {
  if (tools === undefined || tools === null) return null;
  if (!Array.isArray(tools)) throw wrongType('tools', 'array', tools);
  const out: JsonObject[] = [];
  for (let index = 0; index < tools.length; index++) {
    const tool = objectAt(tools[index], `tools[${index}]`);
    if (tool.type !== 'function') {
      state.unsupported(`tools[${index}].type`, `A '${String(tool.type)}' tool`);
      continue;
    }
    const fn: JsonObject = { name: stringAt(tool.name, `tools[${index}].name`) };
    if (typeof tool.description === 'string') fn.description = tool.description;
    if (tool.parameters !== undefined && tool.parameters !== null) fn.parameters = tool.parameters;
    if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
    out.push({ type: 'function', function: fn });
  }
  return out;
}

function chatToolChoice(choice: JsonValue | undefined): JsonValue | undefined {
  if (choice === undefined || choice === null || typeof choice === 'string') return choice ?? undefined;
  const value = objectAt(choice, 'tool_choice');
  if (value.type === 'function') return { type: 'function', function: { name: stringAt(value.name, 'tool_choice.name') } };
  throw invalidRequest(`Invalid value for 'tool_choice.type': only 'function' is supported for this model.`, 'tool_choice.type');
}

function responseFormat(text: JsonValue | undefined): JsonObject | null {
  if (!isJsonObject(text) || !isJsonObject(text.format)) return null;
  const format = text.format;
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type !== 'json_schema') return null;
  const schema: JsonObject = { name: typeof format.name === 'string' ? format.name : 'response', schema: format.schema ?? {} };
  if (typeof format.strict === 'boolean') schema.strict = format.strict;
  return { type: 'json_schema', json_schema: schema };
}

const COPIED = ['temperature', 'top_p', 'parallel_tool_calls', 'user', 'mock_response'] as const;

/** Structural checks every deployment needs (a native forward included), before any translation. */
export function checkResponsesBody(body: JsonObject): void {
  if (typeof body.model !== 'string' || body.model === '') throw wrongType('model', 'non-empty string', body.model);
  if (body.input === undefined) throw wrongType('input', 'string or array', undefined);
  checkOptional(body, 'instructions', 'string');
  checkOptional(body, 'stream', 'boolean');
  checkOptional(body, 'temperature', 'number');
  checkOptional(body, 'top_p', 'number');
  checkOptional(body, 'max_output_tokens', 'number');
  checkOptional(body, 'tools', 'array');
  checkOptional(body, 'previous_response_id', 'string');
}

export function responsesToChat(body: JsonObject): TranslatedRequest {
  checkResponsesBody(body);
  const state = new Translation();
  const chat: JsonObject = { model: body.model, messages: chatMessages(body, state) };
  if (typeof body.previous_response_id === 'string') {
    state.problem = invalidRequest("'previous_response_id' is only supported when the model is an OpenAI or Azure deployment: Sluice stores no responses. Send the whole conversation in 'input' instead.", 'previous_response_id');
  }
  for (const field of COPIED) if (body[field] !== undefined && body[field] !== null) chat[field] = body[field];
  if (typeof body.max_output_tokens === 'number') chat.max_tokens = body.max_output_tokens;
  const tools = chatTools(body.tools, state);
  if (tools !== null && tools.length > 0) chat.tools = tools;
  const choice = chatToolChoice(body.tool_choice);
  if (choice !== undefined) chat.tool_choice = choice;
  const format = responseFormat(body.text);
  if (format !== null) chat.response_format = format;
  if (isJsonObject(body.reasoning) && typeof body.reasoning.effort === 'string') chat.reasoning_effort = body.reasoning.effort;
  if (body.stream === true) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return { chat, problem: state.problem };
}
