import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import { anthropicToChat, effortOfBudget } from './request-to-chat.js';

function chatOf(body: JsonObject): JsonObject {
  const { chat, problem } = anthropicToChat(body, true);
  assert.equal(problem, null);
  return chat;
}

test('system blocks, tool use history, tool results with images, thinking dropped', () => {
  const chat = chatOf({
    model: 'm',
    max_tokens: 10,
    system: [{ type: 'text', text: 'One.' }, { type: 'text', text: 'Two.', cache_control: { type: 'ephemeral' } }],
    messages: [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 's' }, { type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 't1', name: 'w', input: { city: 'X' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'Sunny' }, { type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] }, { type: 'text', text: 'And tomorrow?' }] },
    ],
  });
  assert.deepEqual(chat.messages, [
    { role: 'system', content: 'One.\nTwo.' },
    { role: 'user', content: 'Weather?' },
    { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 't1', type: 'function', function: { name: 'w', arguments: '{"city":"X"}' } }] },
    { role: 'tool', tool_call_id: 't1', content: 'Sunny' },
    { role: 'user', content: [{ type: 'text', text: 'And tomorrow?' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
  ]);
});

test('tools, tool_choice, stop, metadata, thinking, stream', () => {
  const chat = chatOf({
    model: 'm',
    max_tokens: 10,
    temperature: 0.5,
    top_k: 3,
    stop_sequences: ['X'],
    metadata: { user_id: 'u' },
    thinking: { type: 'enabled', budget_tokens: 4000 },
    tools: [{ name: 'w', description: 'd', input_schema: { type: 'object' } }],
    tool_choice: { type: 'tool', name: 'w', disable_parallel_tool_use: true },
    stream: true,
    messages: [{ role: 'user', content: 'hi' }],
  });
  assert.deepEqual(chat, {
    model: 'm',
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 10,
    temperature: 0.5,
    stop: ['X'],
    tools: [{ type: 'function', function: { name: 'w', parameters: { type: 'object' }, description: 'd' } }],
    tool_choice: { type: 'function', function: { name: 'w' } },
    parallel_tool_calls: false,
    user: 'u',
    reasoning_effort: 'medium',
    stream: true,
    stream_options: { include_usage: true },
  });
  assert.deepEqual([effortOfBudget(1024), effortOfBudget(1025), effortOfBudget(20000)], ['low', 'medium', 'high']);
});

test('documents: text and base64 PDFs become parts; URL documents are a problem for translated deployments only', () => {
  const chat = chatOf({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' } }, { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain' } }] }] });
  assert.deepEqual((chat.messages as JsonObject[])[0]!.content, [
    { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'document' } },
    { type: 'text', text: 'plain' },
  ]);
  const { problem } = anthropicToChat({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'url', url: 'https://x' } }] }] }, true);
  assert.equal(problem?.param, 'messages[0].content[0]');
});

test('structural errors throw with the field named', () => {
  const bad: Array<[JsonObject, string]> = [
    [{ model: 'm', max_tokens: 5, system: 5, messages: [{ role: 'user', content: 'x' }] }, 'system'],
    [{ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] }, 'messages[0].content[0].tool_use_id'],
    [{ model: 'm', max_tokens: 5, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 5 }] }] }, 'messages[0].content[0].name'],
    [{ model: 'm', max_tokens: 5, tools: [{ input_schema: {} }], messages: [{ role: 'user', content: 'x' }] }, 'tools[0].name'],
    [{ model: 'm', max_tokens: 5, stream: 'yes', messages: [{ role: 'user', content: 'x' }] }, 'stream'],
    [{ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [5] }] }, 'messages[0].content[0]'],
  ];
  for (const [body, param] of bad) {
    assert.throws(() => anthropicToChat(body, true), (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === param, param);
  }
});
