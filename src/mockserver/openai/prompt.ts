// Reads OpenAI chat, legacy completion and Responses request bodies into the provider-neutral PromptInfo.
import { asArray, asNumber, asRecord, asString, type JsonRecord } from '../json.js';
import { functionTools, hasPartType, openaiToolChoice, scanMessages } from '../prompt-parts.js';
import { AUTO, JSON_OFF, type JsonMode, type PromptInfo, type ToolDef } from '../reply.js';

export function chatPrompt(body: JsonRecord): PromptInfo {
  const scan = scanMessages(body.messages, 'content');
  const lastRole = scan.last?.role;
  return {
    lastUserText: scan.lastUserText,
    promptChars: scan.chars,
    tools: functionTools(body.tools),
    toolChoice: openaiToolChoice(body.tool_choice),
    afterToolResult: lastRole === 'tool' || lastRole === 'function',
    maxTokens: asNumber(body.max_completion_tokens) ?? asNumber(body.max_tokens),
    json: chatJsonMode(body.response_format),
  };
}

export function completionPrompt(body: JsonRecord): PromptInfo {
  const prompt = body.prompt;
  const text = typeof prompt === 'string' ? prompt : asArray(prompt).filter((p) => typeof p === 'string').join('\n');
  return {
    lastUserText: text,
    promptChars: text.length,
    tools: [],
    toolChoice: AUTO,
    afterToolResult: false,
    maxTokens: asNumber(body.max_tokens),
    json: JSON_OFF,
  };
}

/** Responses API: `input` is a string or a list of items; tools are flat `{type:"function", name, parameters}`. */
export function responsesPrompt(body: JsonRecord): PromptInfo {
  const instructions = asString(body.instructions) ?? '';
  const input = body.input;
  const scan = typeof input === 'string' ? undefined : scanMessages(input, 'content');
  const last = scan?.last;
  return {
    lastUserText: typeof input === 'string' ? input : (scan?.lastUserText ?? ''),
    promptChars: instructions.length + (typeof input === 'string' ? input.length : (scan?.chars ?? 0)),
    tools: responsesTools(body.tools),
    toolChoice: openaiToolChoice(body.tool_choice),
    afterToolResult: last?.type === 'function_call_output' || hasPartType(last?.content, 'function_call_output'),
    maxTokens: asNumber(body.max_output_tokens),
    json: responsesJsonMode(asRecord(asRecord(body.text)?.format)),
  };
}

function chatJsonMode(format: unknown): JsonMode {
  const record = asRecord(format);
  if (record?.type === 'json_object') return { mode: 'object' };
  if (record?.type === 'json_schema') return { mode: 'schema', schema: asRecord(record.json_schema)?.schema };
  return JSON_OFF;
}

function responsesJsonMode(format: JsonRecord | undefined): JsonMode {
  if (format?.type === 'json_object') return { mode: 'object' };
  if (format?.type === 'json_schema') return { mode: 'schema', schema: format.schema };
  return JSON_OFF;
}

function responsesTools(tools: unknown): ToolDef[] {
  const out: ToolDef[] = [];
  for (const item of asArray(tools)) {
    const tool = asRecord(item);
    const name = asString(tool?.name);
    if (tool?.type === 'function' && name !== undefined) out.push({ name, schema: tool.parameters });
  }
  return out;
}

