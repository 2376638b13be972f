// OpenAI chat/embedding request → Ollama's native /api/chat and /api/embed bodies (sampling params under `options`).
import { invalidRequest } from '../../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import { embeddingInputsOf, imageUrlOf, jsonModeOf, maxTokensOf, messagesOf, numberOf, parseDataUrl, parseToolArguments, stopSequencesOf, textOf, toolsOf } from '../../core/openai-request.js';

function imagesOf(content: JsonValue | undefined): string[] {
  if (!Array.isArray(content)) return [];
  const images: string[] = [];
  for (const part of content) {
    if (!isJsonObject(part) || part.type !== 'image_url') continue;
    const data = parseDataUrl(imageUrlOf(part));
    if (data === null) throw invalidRequest('Ollama needs images inline: send image_url as a base64 data URL.', 'messages');
    images.push(data.data);
  }
  return images;
}

function mapMessage(message: JsonObject): JsonObject {
  const role = message.role === 'developer' ? 'system' : message.role === 'function' ? 'tool' : message.role;
  if (role !== 'system' && role !== 'user' && role !== 'assistant' && role !== 'tool') throw invalidRequest(`Unknown message role '${String(message.role)}'.`, 'messages');
  const out: JsonObject = { role, content: textOf(message.content) };
  const images = imagesOf(message.content);
  if (images.length > 0) out.images = images;
  if (Array.isArray(message.tool_calls)) {
    out.tool_calls = message.tool_calls.map((call) => {
      const fn = isJsonObject(call) && isJsonObject(call.function) ? call.function : {};
      return { function: { name: String(fn.name ?? ''), arguments: parseToolArguments(fn.arguments) } };
    });
  }
  if (role === 'tool' && typeof message.name === 'string') out.tool_name = message.name;
  return out;
}

export function mapChatRequest(body: JsonObject): JsonObject {
  // Ollama streams unless told otherwise, so `stream` is always explicit.
  const out: JsonObject = { model: body.model, messages: messagesOf(body).map(mapMessage), stream: body.stream === true };
  const tools = toolsOf(body);
  if (tools.length > 0) {
    out.tools = tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description ?? '', parameters: tool.parameters ?? { type: 'object', properties: {} } } }));
  }
  const options: JsonObject = {};
  for (const key of ['temperature', 'top_p', 'top_k', 'seed', 'frequency_penalty', 'presence_penalty'] as const) {
    if (numberOf(body[key]) !== undefined) options[key] = body[key];
  }
  const maxTokens = maxTokensOf(body);
  if (maxTokens !== undefined) options.num_predict = maxTokens;
  const stop = stopSequencesOf(body);
  if (stop !== undefined && stop.length > 0) options.stop = stop;
  if (Object.keys(options).length > 0) out.options = options;
  const json = jsonModeOf(body);
  if (json !== null) out.format = json.schema ?? 'json';
  if (body.keep_alive !== undefined) out.keep_alive = body.keep_alive;
  return out;
}

export function mapEmbedRequest(body: JsonObject): JsonObject {
  const out: JsonObject = { model: body.model, input: embeddingInputsOf(body) };
  if (numberOf(body.dimensions) !== undefined) out.dimensions = body.dimensions;
  return out;
}
