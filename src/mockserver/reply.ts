// Decides what the mock "model" answers (text, JSON or a tool call) from a provider-neutral view of the prompt.
import { answerText, tokensOf } from './answer.js';
import { valueFromSchema } from './tool-args.js';

export interface ToolDef {
  name: string;
  /** JSON schema of the tool's arguments. */
  schema: unknown;
}

export type ToolChoice = { mode: 'auto' | 'none' | 'required' } | { mode: 'named'; name: string };

export type JsonMode = { mode: 'off' } | { mode: 'object' } | { mode: 'schema'; schema: unknown };

/** What each provider's request parser extracts; the reply depends on nothing else. */
export interface PromptInfo {
  lastUserText: string;
  /** Characters of all prompt text (system + messages), for prompt token counts. */
  promptChars: number;
  tools: ToolDef[];
  toolChoice: ToolChoice;
  /** True when the last message carries a tool result: answer in text so agent loops end. */
  afterToolResult: boolean;
  maxTokens: number | undefined;
  json: JsonMode;
}

export interface ToolCallReply {
  name: string;
  args: unknown;
  argsJson: string;
}

export interface Reply {
  /** Answer text ('' for a tool call). */
  text: string;
  toolCall: ToolCallReply | undefined;
  finish: 'stop' | 'length' | 'tool_calls';
  promptTokens: number;
  completionTokens: number;
}

export const AUTO: ToolChoice = Object.freeze({ mode: 'auto' });
export const JSON_OFF: JsonMode = Object.freeze({ mode: 'off' });

export function planReply(info: PromptInfo): Reply {
  const promptTokens = tokensOf(info.promptChars);
  const tool = chooseTool(info);
  if (tool !== undefined) {
    const args = valueFromSchema(tool.schema, false);
    const argsJson = JSON.stringify(args);
    const toolCall = { name: tool.name, args, argsJson };
    const completionTokens = tokensOf(tool.name.length + argsJson.length);
    return { text: '', toolCall, finish: 'tool_calls', promptTokens, completionTokens };
  }
  let text = replyText(info);
  let completionTokens = tokensOf(text.length);
  let finish: Reply['finish'] = 'stop';
  if (info.maxTokens !== undefined && info.maxTokens >= 0 && completionTokens > info.maxTokens) {
    text = text.slice(0, info.maxTokens * 4);
    completionTokens = info.maxTokens;
    finish = 'length';
  }
  return { text, toolCall: undefined, finish, promptTokens, completionTokens };
}

function chooseTool(info: PromptInfo): ToolDef | undefined {
  const choice = info.toolChoice;
  if (info.tools.length === 0 || choice.mode === 'none' || info.afterToolResult) return undefined;
  if (choice.mode === 'named') return info.tools.find((t) => t.name === choice.name) ?? info.tools[0];
  return info.tools[0];
}

function replyText(info: PromptInfo): string {
  const text = answerText(info.lastUserText);
  switch (info.json.mode) {
    case 'object':
      return JSON.stringify({ answer: text });
    case 'schema':
      return JSON.stringify(valueFromSchema(info.json.schema, true));
    default:
      return text;
  }
}
