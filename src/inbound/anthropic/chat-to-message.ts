// OpenAI chat completion → Anthropic Message: content blocks (thinking, text, tool_use), stop_reason and usage.
import { badUpstreamOutput } from '../upstream-output.js';
import { isJsonObject, type JsonObject } from '../../core/json.js';
import { parseArguments } from '../json-fields.js';
import { stopReasonOf } from './stop-reason.js';
import { anthropicUsage } from './usage.js';

/** `msg_…` from the chat id, so logs on both sides can be matched. */
export function messageId(chatId: unknown): string {
  if (typeof chatId !== 'string' || chatId === '') return `msg_${Date.now().toString(36)}`;
  return chatId.startsWith('chatcmpl-') ? `msg_${chatId.slice(9)}` : `msg_${chatId}`;
}

function contentBlocks(message: JsonObject): JsonObject[] {
  const blocks: JsonObject[] = [];
  const reasoning = message.reasoning_content;
  if (typeof reasoning === 'string' && reasoning !== '') blocks.push({ type: 'thinking', thinking: reasoning, signature: '' });
  const text = message.content;
  if (typeof text === 'string' && text !== '') blocks.push({ type: 'text', text });
  const calls = message.tool_calls;
  if (Array.isArray(calls)) {
    for (const call of calls) {
      if (!isJsonObject(call) || !isJsonObject(call.function)) continue;
      const fn = call.function;
      blocks.push({ type: 'tool_use', id: typeof call.id === 'string' ? call.id : '', name: typeof fn.name === 'string' ? fn.name : '', input: parseArguments(fn.arguments) });
    }
  }
  if (blocks.length === 0) blocks.push({ type: 'text', text: '' });
  return blocks;
}

/** `model` is the name the client asked for, as Anthropic echoes it. */
export function chatToMessage(completion: unknown, model: string): JsonObject {
  if (!isJsonObject(completion) || !Array.isArray(completion.choices)) throw badUpstreamOutput('a chat completion without choices');
  const choice = completion.choices[0];
  if (!isJsonObject(choice) || !isJsonObject(choice.message)) throw badUpstreamOutput('a chat completion without a message');
  return {
    id: messageId(completion.id),
    type: 'message',
    role: 'assistant',
    model,
    content: contentBlocks(choice.message),
    stop_reason: stopReasonOf(choice.finish_reason),
    stop_sequence: null,
    usage: anthropicUsage(completion.usage),
  };
}
