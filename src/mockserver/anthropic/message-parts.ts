// Fields and content blocks of an Anthropic Message, shared by the JSON and streamed forms.
import type { JsonRecord } from '../json.js';
import type { Reply } from '../reply.js';

/** Message fields fixed before the reply is rendered in either form. */
export interface MessageBase {
  id: string;
  model: string;
  toolUseId: string;
  stopReason: string;
  usage: AnthropicUsage;
}

export interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

/** The single content block; `done` false gives the empty block announced by content_block_start. */
export function contentBlock(base: MessageBase, reply: Reply, done: boolean): JsonRecord {
  const call = reply.toolCall;
  if (call === undefined) return { type: 'text', text: done ? reply.text : '' };
  return { type: 'tool_use', id: base.toolUseId, name: call.name, input: done ? call.args : {} };
}
