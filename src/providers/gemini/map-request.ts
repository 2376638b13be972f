// OpenAI chat/embedding request → Gemini generateContent / batchEmbedContents body (shared by AI Studio and Vertex AI).
import { invalidRequest } from '../../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import {
  embeddingInputsOf, imageUrlOf, jsonModeOf, maxTokensOf, messagesOf, numberOf, parseDataUrl, parseToolArguments,
  reasoningBudgetOf, stopSequencesOf, textOf, toolChoiceOf, toolsOf,
} from '../../core/openai-request.js';

type Part = JsonObject;

/** JSON-schema keywords Gemini's OpenAPI-subset schemas reject. */
const SCHEMA_DROP = new Set(['$schema', 'additionalProperties', 'strict', '$id', '$defs', 'definitions']);

export function cleanSchema(schema: JsonValue | undefined): JsonValue | undefined {
  if (Array.isArray(schema)) return schema.map((item) => cleanSchema(item) ?? null);
  if (!isJsonObject(schema)) return schema;
  const out: JsonObject = {};
  for (const key in schema) if (!SCHEMA_DROP.has(key)) out[key] = cleanSchema(schema[key]);
  return out;
}

function imagePart(part: JsonObject): Part {
  const url = imageUrlOf(part);
  const data = parseDataUrl(url);
  if (data !== null) return { inlineData: { mimeType: data.mediaType, data: data.data } };
  const lower = url.toLowerCase();
  const mimeType = lower.endsWith('.png') ? 'image/png' : lower.endsWith('.webp') ? 'image/webp' : lower.endsWith('.gif') ? 'image/gif' : 'image/jpeg';
  return { fileData: { mimeType, fileUri: url } };
}

function contentParts(content: JsonValue | undefined): Part[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw invalidRequest('message content must be a string or an array of parts.', 'messages');
  const parts: Part[] = [];
  for (const part of content) {
    if (!isJsonObject(part)) throw invalidRequest('content parts must be objects.', 'messages');
    if (part.type === 'text') parts.push({ text: typeof part.text === 'string' ? part.text : '' });
    else if (part.type === 'image_url') parts.push(imagePart(part));
    else throw invalidRequest(`content part type '${String(part.type)}' is not supported for Gemini.`, 'messages');
  }
  return parts;
}

function pushContent(contents: JsonObject[], role: 'user' | 'model', parts: Part[]): void {
  if (parts.length === 0) return;
  const last = contents[contents.length - 1];
  if (last !== undefined && last.role === role) (last.parts as Part[]).push(...parts);
  else contents.push({ role, parts });
}

function modelParts(message: JsonObject, toolNames: Map<string, string>): Part[] {
  const parts = contentParts(message.content);
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      if (!isJsonObject(call) || !isJsonObject(call.function)) throw invalidRequest('tool_calls entries need a function.', 'messages');
      const name = String(call.function.name ?? '');
      if (typeof call.id === 'string') toolNames.set(call.id, name);
      parts.push({ functionCall: { name, args: parseToolArguments(call.function.arguments) } });
    }
  }
  return parts;
}

function functionResponse(message: JsonObject, toolNames: Map<string, string>): Part {
  const id = typeof message.tool_call_id === 'string' ? message.tool_call_id : '';
  const name = typeof message.name === 'string' ? message.name : (toolNames.get(id) ?? '');
  if (name === '') throw invalidRequest('A tool message must answer a tool call made earlier in messages.', 'messages');
  return { functionResponse: { name, response: { content: textOf(message.content) } } };
}

function mapMessages(body: JsonObject, out: JsonObject): void {
  const system: Part[] = [];
  const contents: JsonObject[] = [];
  const toolNames = new Map<string, string>();
  for (const message of messagesOf(body)) {
    if (message.role === 'system' || message.role === 'developer') system.push(...contentParts(message.content));
    else if (message.role === 'user') pushContent(contents, 'user', contentParts(message.content));
    else if (message.role === 'assistant') pushContent(contents, 'model', modelParts(message, toolNames));
    else if (message.role === 'tool' || message.role === 'function') pushContent(contents, 'user', [functionResponse(message, toolNames)]);
    else throw invalidRequest(`Unknown message role '${String(message.role)}'.`, 'messages');
  }
  out.contents = contents;
  if (system.length > 0) out.systemInstruction = { parts: system };
}

function mapTools(body: JsonObject, out: JsonObject): void {
  const tools = toolsOf(body);
  if (tools.length > 0) {
    out.tools = [{ functionDeclarations: tools.map((tool) => {
      const declaration: JsonObject = { name: tool.name };
      if (tool.description !== undefined) declaration.description = tool.description;
      if (tool.parameters !== undefined) declaration.parameters = cleanSchema(tool.parameters);
      return declaration;
    }) }];
  }
  const choice = toolChoiceOf(body);
  if (choice === null) return;
  const config: JsonObject = choice.mode === 'named'
    ? { mode: 'ANY', allowedFunctionNames: [choice.name] }
    : { mode: choice.mode === 'required' ? 'ANY' : choice.mode === 'none' ? 'NONE' : 'AUTO' };
  out.toolConfig = { functionCallingConfig: config };
}

function generationConfig(body: JsonObject): JsonObject {
  const config: JsonObject = {};
  const copy: ReadonlyArray<readonly [string, string]> = [
    ['temperature', 'temperature'], ['top_p', 'topP'], ['top_k', 'topK'], ['n', 'candidateCount'], ['seed', 'seed'],
    ['presence_penalty', 'presencePenalty'], ['frequency_penalty', 'frequencyPenalty'],
  ];
  for (const [from, to] of copy) if (numberOf(body[from]) !== undefined) config[to] = body[from];
  const maxTokens = maxTokensOf(body);
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  const stop = stopSequencesOf(body);
  if (stop !== undefined && stop.length > 0) config.stopSequences = stop;
  const json = jsonModeOf(body);
  if (json !== null) {
    config.responseMimeType = 'application/json';
    if (json.schema !== null) config.responseSchema = cleanSchema(json.schema);
  }
  const budget = reasoningBudgetOf(body);
  if (budget !== null) config.thinkingConfig = { thinkingBudget: budget, includeThoughts: true };
  return config;
}

export function mapChatRequest(body: JsonObject): JsonObject {
  const out: JsonObject = {};
  mapMessages(body, out);
  mapTools(body, out);
  const config = generationConfig(body);
  if (Object.keys(config).length > 0) out.generationConfig = config;
  // LiteLLM's spelling is safety_settings; Gemini's own safetySettings is accepted too. Passed through unchanged.
  const safety = body.safety_settings ?? body.safetySettings;
  if (safety !== undefined) out.safetySettings = safety;
  if (body.cached_content !== undefined) out.cachedContent = body.cached_content;
  return out;
}

export function mapEmbeddingRequest(body: JsonObject, model: string): JsonObject {
  const dimensions = numberOf(body.dimensions);
  const requests = embeddingInputsOf(body).map((text) => {
    const request: JsonObject = { model: `models/${model}`, content: { parts: [{ text }] } };
    if (dimensions !== undefined) request.outputDimensionality = dimensions;
    if (typeof body.task_type === 'string') request.taskType = body.task_type;
    return request;
  });
  return { requests };
}
