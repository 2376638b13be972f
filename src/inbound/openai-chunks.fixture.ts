// Recorded-style OpenAI chat stream fixtures for the inbound translators' unit tests and benchmarks.

function frame(delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-abc123', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
}

const USAGE = `data: ${JSON.stringify({ id: 'chatcmpl-abc123', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, prompt_tokens_details: { cached_tokens: 2 } } })}\n\n`;

/** A text answer in five pieces, with a usage chunk and [DONE]. */
export const TEXT_STREAM: readonly string[] = [
  frame({ role: 'assistant', content: '' }),
  frame({ content: 'Hello' }),
  frame({ content: ', wor' }),
  frame({ content: 'ld! ' }),
  frame({ content: 'Ünïcödé ✓' }),
  frame({}, 'stop'),
  USAGE,
  'data: [DONE]\n\n',
];

/** Some text, then two parallel tool calls streamed one after the other. */
export const TOOL_STREAM: readonly string[] = [
  frame({ role: 'assistant', content: 'Let me check.' }),
  frame({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
  frame({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  frame({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
  frame({ tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } }] }),
  frame({}, 'tool_calls'),
  USAGE,
  'data: [DONE]\n\n',
];

/** Reasoning first (as DeepSeek and vLLM send `reasoning_content`), then text. */
export const REASONING_STREAM: readonly string[] = [
  frame({ role: 'assistant', reasoning_content: 'Think' }),
  frame({ reasoning_content: 'ing.' }),
  frame({ content: 'Answer.' }),
  frame({}, 'length'),
  'data: [DONE]\n\n',
];

export const CHAT_COMPLETION = {
  id: 'chatcmpl-xyz',
  object: 'chat.completion',
  created: 1700000000,
  model: 'gpt-4o',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
};

/** Every way of cutting the stream's bytes into two pieces, to prove the translators are split-proof. */
export function splitsOf(stream: readonly string[]): Buffer[][] {
  const whole = Buffer.from(stream.join(''));
  const out: Buffer[][] = [];
  for (let at = 1; at < whole.length; at += 7) out.push([whole.subarray(0, at), whole.subarray(at)]);
  return out;
}
