import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { responsesToChat } from './request-to-chat.js';

test('items: assistant text and function calls merge into one message; outputs become tool messages', () => {
  const { chat, problem } = responsesToChat({
    model: 'm',
    instructions: 'Sys.',
    input: [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
      { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
      { type: 'function_call', call_id: 'c2', name: 'g', arguments: '{"a":1}' },
      { type: 'function_call_output', call_id: 'c1', output: 'one' },
      { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'two' }] },
      { type: 'reasoning', id: 'r', summary: [] },
    ],
    text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
    reasoning: { effort: 'low' },
    tool_choice: { type: 'function', name: 'f' },
    max_output_tokens: 9,
  });
  assert.equal(problem, null);
  assert.deepEqual(chat, {
    model: 'm',
    messages: [
      { role: 'system', content: 'Sys.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }, { id: 'c2', type: 'function', function: { name: 'g', arguments: '{"a":1}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'one' },
      { role: 'tool', tool_call_id: 'c2', content: 'two' },
    ],
    max_tokens: 9,
    tool_choice: { type: 'function', function: { name: 'f' } },
    response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
    reasoning_effort: 'low',
  });
});

test('native-only features are problems, not errors: previous_response_id, built-in tools, item references', () => {
  assert.equal(responsesToChat({ model: 'm', input: 'x', previous_response_id: 'resp_1' }).problem?.param, 'previous_response_id');
  assert.equal(responsesToChat({ model: 'm', input: 'x', tools: [{ type: 'file_search' }] }).problem?.param, 'tools[0].type');
  assert.equal(responsesToChat({ model: 'm', input: [{ type: 'item_reference', id: 'x' }, { role: 'user', content: 'hi' }] }).problem?.param, 'input[0].type');
});

test('wrong types throw naming the field', () => {
  for (const [body, param] of [
    [{ model: 'm', input: [{ role: 'user', content: 5 }] }, 'input[0].content'],
    [{ model: 'm', input: [{ type: 'function_call', call_id: 'c', name: 'f' }] }, 'input[0].arguments'],
    [{ model: 'm', input: 'x', tools: 'all' }, 'tools'],
    [{ model: 'm', input: 'x', tool_choice: { type: 'mcp' } }, 'tool_choice.type'],
  ] as const) {
    assert.throws(() => responsesToChat(structuredClone(body) as never), (error: unknown) => error instanceof GatewayError && error.param === param, param);
  }
});
