// Reads a Cohere v2 chat request into PromptInfo.
import { asNumber, asRecord, type JsonRecord } from '../json.js';
import { functionTools, scanMessages } from '../prompt-parts.js';
import { AUTO, JSON_OFF, type JsonMode, type PromptInfo, type ToolChoice } from '../reply.js';

export function cohereChatPrompt(body: JsonRecord): PromptInfo {
  const scan = scanMessages(body.messages, 'content');
  return {
    lastUserText: scan.lastUserText,
    promptChars: scan.chars,
    tools: functionTools(body.tools),
    toolChoice: cohereToolChoice(body.tool_choice),
    afterToolResult: scan.last?.role === 'tool',
    maxTokens: asNumber(body.max_tokens),
    json: cohereJsonMode(asRecord(body.response_format)),
  };
}

function cohereToolChoice(choice: unknown): ToolChoice {
  if (choice === 'NONE') return { mode: 'none' };
  if (choice === 'REQUIRED') return { mode: 'required' };
  return AUTO;
}

function cohereJsonMode(format: JsonRecord | undefined): JsonMode {
  if (format?.type !== 'json_object') return JSON_OFF;
  return format.json_schema === undefined ? { mode: 'object' } : { mode: 'schema', schema: format.json_schema };
}
