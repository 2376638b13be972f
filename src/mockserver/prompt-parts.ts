// Request-reading pieces several wire formats share: message scans, OpenAI-style function tools.
import { asArray, asRecord, asString, textOf, type JsonRecord } from './json.js';
import { AUTO, type ToolChoice, type ToolDef } from './reply.js';

export interface MessageScan {
  /** Text of the last user message that has any text. */
  lastUserText: string;
  /** Characters of text across all messages. */
  chars: number;
  /** The last message, for tool-result detection. */
  last: JsonRecord | undefined;
}

/** Walks `messages`, reading text from `contentKey`; messages without a role count as user messages. */
export function scanMessages(messages: unknown, contentKey: string): MessageScan {
  const list = asArray(messages);
  let lastUserText = '';
  let chars = 0;
  for (const item of list) {
    const message = asRecord(item);
    if (message === undefined) continue;
    const text = textOf(message[contentKey]);
    chars += text.length;
    const role = message.role;
    if ((role === 'user' || role === undefined) && text.length > 0) lastUserText = text;
  }
  return { lastUserText, chars, last: asRecord(list[list.length - 1]) };
}

/** True when any part of `content` has `type === partType` (e.g. Anthropic's tool_result). */
export function hasPartType(content: unknown, partType: string): boolean {
  return asArray(content).some((part) => asRecord(part)?.type === partType);
}

/** True when any part of `content` has the key `key` (e.g. Gemini's functionResponse, Bedrock's toolResult). */
export function hasPartKey(content: unknown, key: string): boolean {
  return asArray(content).some((part) => asRecord(part)?.[key] !== undefined);
}

/** `[{type:"function", function:{name, parameters}}]`, used by OpenAI chat, Cohere v2 and Ollama. */
export function functionTools(tools: unknown): ToolDef[] {
  const out: ToolDef[] = [];
  for (const item of asArray(tools)) {
    const fn = asRecord(asRecord(item)?.function);
    const name = asString(fn?.name);
    if (name !== undefined) out.push({ name, schema: fn?.parameters });
  }
  return out;
}

/** OpenAI chat's tool_choice: "none" | "auto" | "required" | {type:"function", function:{name}}. */
export function openaiToolChoice(choice: unknown): ToolChoice {
  if (choice === 'none' || choice === 'required' || choice === 'auto') return { mode: choice };
  const record = asRecord(choice);
  const name = asString(asRecord(record?.function)?.name) ?? asString(record?.name);
  return name === undefined ? AUTO : { mode: 'named', name };
}
