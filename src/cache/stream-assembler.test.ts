// Stream assembly (SSE → chat.completion) and replay (chat.completion → SSE) round-trip the content.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../core/json.js';
import { StreamAssembler } from './stream-assembler.js';
import { replayAsStream } from './stream-replay.js';

const frame = (event: unknown): string => `data: ${JSON.stringify(event)}\n\n`;
const base = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm' };

function sse(): string {
  return (
    frame({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }) +
    frame({ ...base, choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] }) +
    frame({ ...base, choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: null }] }) +
    frame({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 't1', type: 'function', function: { name: 'f', arguments: '{"a"' } }] }, finish_reason: null }] }) +
    frame({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }, finish_reason: null }] }) +
    frame({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) +
    frame({ ...base, choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }) +
    'data: [DONE]\n\n'
  );
}

test('assembles content, tool calls, finish reason and usage across arbitrary chunk boundaries', () => {
  const text = Buffer.from(sse());
  const assembler = new StreamAssembler();
  for (let at = 0; at < text.length; at += 7) assembler.push(text.subarray(at, at + 7));
  const body = JSON.parse(assembler.assemble()!) as JsonObject;
  assert.equal(body.object, 'chat.completion');
  assert.deepEqual(body.choices, [
    { index: 0, message: { role: 'assistant', content: 'Hello', tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] }, logprobs: null, finish_reason: 'stop' },
  ]);
  assert.deepEqual(body.usage, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
});

test('an unfinished or errored stream is not cached', () => {
  const unfinished = new StreamAssembler();
  unfinished.push(Buffer.from(frame({ ...base, choices: [{ index: 0, delta: { content: 'x' } }] })));
  assert.equal(unfinished.assemble(), null);
  const errored = new StreamAssembler();
  errored.push(Buffer.from(frame({ error: { message: 'boom' } }) + 'data: [DONE]\n\n'));
  assert.equal(errored.assemble(), null);
});

test('replay yields the same content, tool calls and usage when asked', () => {
  const assembler = new StreamAssembler();
  assembler.push(Buffer.from(sse()));
  const replayed = replayAsStream(JSON.parse(assembler.assemble()!) as JsonObject, true);
  const again = new StreamAssembler();
  again.push(Buffer.from(replayed));
  const body = JSON.parse(again.assemble()!) as JsonObject;
  assert.deepEqual((body.choices as JsonObject[])[0]!.message, { role: 'assistant', content: 'Hello', tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] });
  assert.deepEqual(body.usage, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  assert.ok(!replayAsStream(body, false).includes('"usage"'));
  assert.ok(replayed.endsWith('data: [DONE]\n\n'));
});
