// OpenAI chat/embedding request → Bedrock Converse body, or an InvokeModel body for Titan / Cohere embedding models.
import { invalidRequest } from '../../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import {
  embeddingInputsOf, imageUrlOf, jsonModeOf, maxTokensOf, messagesOf, numberOf, parseDataUrl, parseToolArguments,
  reasoningBudgetOf, stopSequencesOf, textOf, toolChoiceOf, toolsOf,
} from '../../core/openai-request.js';

/** As for Anthropic, `response_format` rides on a forced tool whose input is the answer (LiteLLM's approach). */
export const JSON_TOOL_NAME = 'json_tool_call';

type Block = JsonObject;

function imageBlock(part: JsonObject): Block {
  const data = parseDataUrl(imageUrlOf(part));
  if (data === null) throw invalidRequest('Bedrock needs images inline: send image_url as a base64 data URL.', 'messages');
  const format = data.mediaType.split('/')[1] ?? 'jpeg';
  return { image: { format: format === 'jpg' ? 'jpeg' : format, source: { bytes: data.data } } };
}

function contentBlocks(content: JsonValue | undefined): Block[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw invalidRequest('message content must be a string or an array of parts.', 'messages');
  const blocks: Block[] = [];
  for (const part of content) {
    if (!isJsonObject(part)) throw invalidRequest('content parts must be objects.', 'messages');
    if (part.type === 'text') blocks.push({ text: typeof part.text === 'string' ? part.text : '' });
    else if (part.type === 'image_url') blocks.push(imageBlock(part));
    else throw invalidRequest(`content part type '${String(part.type)}' is not supported for Bedrock.`, 'messages');
  }
  return blocks;
}

function assistantBlocks(message: JsonObject): Block[] {
  const blocks = contentBlocks(message.content);
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      if (!isJsonObject(call) || !isJsonObject(call.function)) throw invalidRequest('tool_calls entries need a function.', 'messages');
      blocks.push({ toolUse: { toolUseId: String(call.id ?? ''), name: String(call.function.name ?? ''), input: parseToolArguments(call.function.arguments) } });
    }
  }
  return blocks;
}

function pushTurn(turns: JsonObject[], role: 'user' | 'assistant', blocks: Block[]): void {
  if (blocks.length === 0) return;
  const last = turns[turns.length - 1];
  if (last !== undefined && last.role === role) (last.content as Block[]).push(...blocks);
  else turns.push({ role, content: blocks });
}

function mapMessages(body: JsonObject, out: JsonObject): void {
  const system: Block[] = [];
  const turns: JsonObject[] = [];
  for (const message of messagesOf(body)) {
    if (message.role === 'system' || message.role === 'developer') system.push(...contentBlocks(message.content));
    else if (message.role === 'user') pushTurn(turns, 'user', contentBlocks(message.content));
    else if (message.role === 'assistant') pushTurn(turns, 'assistant', assistantBlocks(message));
    else if (message.role === 'tool' || message.role === 'function') {
      pushTurn(turns, 'user', [{ toolResult: { toolUseId: String(message.tool_call_id ?? ''), content: [{ text: textOf(message.content) }] } }]);
    } else throw invalidRequest(`Unknown message role '${String(message.role)}'.`, 'messages');
  }
  out.messages = turns;
  if (system.length > 0) out.system = system;
}

function mapTools(body: JsonObject, out: JsonObject): void {
  const tools: JsonObject[] = toolsOf(body).map((tool) => {
    const spec: JsonObject = { name: tool.name, inputSchema: { json: tool.parameters ?? { type: 'object', properties: {} } } };
    if (tool.description !== undefined) spec.description = tool.description;
    return { toolSpec: spec };
  });
  const json = jsonModeOf(body);
  const choice = toolChoiceOf(body);
  let toolChoice: JsonObject | undefined;
  if (json !== null) {
    tools.push({ toolSpec: { name: JSON_TOOL_NAME, description: `Respond with a JSON object (${json.name}).`, inputSchema: { json: json.schema ?? { type: 'object' } } } });
    toolChoice = { tool: { name: JSON_TOOL_NAME } };
  } else if (choice !== null && choice.mode !== 'none') {
    toolChoice = choice.mode === 'named' ? { tool: { name: choice.name } } : choice.mode === 'required' ? { any: {} } : { auto: {} };
  }
  if (tools.length === 0) return;
  out.toolConfig = toolChoice === undefined ? { tools } : { tools, toolChoice };
}

export function mapConverseRequest(body: JsonObject): JsonObject {
  const out: JsonObject = {};
  mapMessages(body, out);
  const inference: JsonObject = {};
  const maxTokens = maxTokensOf(body);
  if (maxTokens !== undefined) inference.maxTokens = maxTokens;
  if (numberOf(body.temperature) !== undefined) inference.temperature = body.temperature;
  if (numberOf(body.top_p) !== undefined) inference.topP = body.top_p;
  const stop = stopSequencesOf(body);
  if (stop !== undefined && stop.length > 0) inference.stopSequences = stop;
  if (Object.keys(inference).length > 0) out.inferenceConfig = inference;
  mapTools(body, out);
  const extra: JsonObject = {};
  if (numberOf(body.top_k) !== undefined) extra.top_k = body.top_k;
  const budget = reasoningBudgetOf(body);
  if (isJsonObject(body.thinking)) extra.thinking = body.thinking;
  else if (budget !== null) extra.thinking = { type: 'enabled', budget_tokens: budget };
  if (Object.keys(extra).length > 0) out.additionalModelRequestFields = extra;
  return out;
}

export function isTitanEmbedding(model: string): boolean {
  return model.includes('amazon.titan-embed');
}

export function isCohereEmbedding(model: string): boolean {
  return model.includes('cohere.embed');
}

export function mapEmbeddingRequest(body: JsonObject, model: string): JsonObject {
  const inputs = embeddingInputsOf(body);
  if (isTitanEmbedding(model)) {
    if (inputs.length !== 1) throw invalidRequest('Titan embedding models take one input per request; send a single string.', 'input');
    const out: JsonObject = { inputText: inputs[0]! };
    if (numberOf(body.dimensions) !== undefined) out.dimensions = body.dimensions;
    return out;
  }
  if (isCohereEmbedding(model)) {
    return { texts: inputs, input_type: typeof body.input_type === 'string' ? body.input_type : 'search_document' };
  }
  throw invalidRequest(`Embeddings on Bedrock are supported for amazon.titan-embed-* and cohere.embed-* models, not ${model}.`, 'model');
}
