import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countInputTokens, encoder, encodingForModel, promptPieces } from './count-tokens.js';

test('encoding by model family', () => {
  assert.equal(encodingForModel('gpt-4o-mini'), 'o200k_base');
  assert.equal(encodingForModel('o3-mini'), 'o200k_base');
  assert.equal(encodingForModel('llama-3.3-70b'), 'cl100k_base');
});

test('every piece of prompt text counts: system, blocks, tool calls, results, tool definitions', async () => {
  const body = {
    system: [{ type: 'text', text: 'sys' }],
    tools: [{ name: 'w', input_schema: { type: 'object' } }],
    messages: [
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'w', input: { a: 1 } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'result' }] }] },
    ],
  };
  assert.deepEqual(promptPieces(body), ['sys', 'hello', 'w', '{"a":1}', 'result', '{"name":"w","input_schema":{"type":"object"}}']);
  const tokenizer = await encoder('cl100k_base');
  assert.equal(encoder('cl100k_base'), tokenizer, 'loaded once, then returned synchronously');
  const small = countInputTokens(tokenizer, { messages: [{ role: 'user', content: 'hello' }] });
  assert.equal(small, 3 + 1 + 3);
  assert.ok(countInputTokens(tokenizer, body) > small + 15);
});
