// OpenAI finish_reason → Anthropic stop_reason, in one table.
const STOP_REASON: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

export function stopReasonOf(finishReason: unknown): string {
  return typeof finishReason === 'string' ? (STOP_REASON[finishReason] ?? 'end_turn') : 'end_turn';
}
