// Reads an Anthropic Messages request into PromptInfo, plus the cache_control usage the mock reports.
import { tokensOf } from '../answer.js';
import { asArray, asNumber, asRecord, asString, textOf, type JsonRecord } from '../json.js';
import { hasPartType, scanMessages } from '../prompt-parts.js';
import { AUTO, JSON_OFF, type PromptInfo, type ToolChoice, type ToolDef } from '../reply.js';

export function messagesPrompt(body: JsonRecord): PromptInfo {
  const scan = scanMessages(body.messages, 'content');
  return {
    lastUserText: scan.lastUserText,
    promptChars: textOf(body.system).length + scan.chars,
    tools: anthropicTools(body.tools),
    toolChoice: anthropicToolChoice(asRecord(body.tool_choice)),
    afterToolResult: scan.last?.role === 'user' && hasPartType(scan.last.content, 'tool_result'),
    maxTokens: asNumber(body.max_tokens),
    json: JSON_OFF,
  };
}

/**
 * Tokens of system blocks marked with cache_control whose text mentions "cache": reported as
 * cache_read_input_tokens so cost tests see cache usage deterministically.
 */
export function cachedSystemTokens(body: JsonRecord): number {
  let chars = 0;
  for (const block of asArray(body.system)) {
    const record = asRecord(block);
    const text = asString(record?.text);
    if (record?.cache_control !== undefined && text !== undefined && text.toLowerCase().includes('cache')) chars += text.length;
  }
  return tokensOf(chars);
}

function anthropicTools(tools: unknown): ToolDef[] {
  const out: ToolDef[] = [];
  for (const item of asArray(tools)) {
    const tool = asRecord(item);
    const name = asString(tool?.name);
    // Server tools (web search, code execution) have no input_schema and are never "called" by the mock.
    if (name !== undefined && tool?.input_schema !== undefined) out.push({ name, schema: tool.input_schema });
  }
  return out;
}

function anthropicToolChoice(choice: JsonRecord | undefined): ToolChoice {
  switch (choice?.type) {
    case 'none':
      return { mode: 'none' };
    case 'any':
      return { mode: 'required' };
    case 'tool':
      return { mode: 'named', name: asString(choice.name) ?? '' };
    default:
      return AUTO;
  }
}
