import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { CHAT_COMPLETION, REASONING_STREAM, TEXT_STREAM, TOOL_STREAM, splitsOf } from '../openai-chunks.fixture.js';
import { ChatToResponsesRewriter } from './stream-translator.js';

const ECHO = { model: 'alias', request: { model: 'alias', input: 'x', instructions: 'Be brief.' } };

function translate(pieces: ReadonlyArray<string | Buffer>): string {
  const rewriter = new ChatToResponsesRewriter(ECHO);
  let out = '';
  for (const piece of pieces) out += rewriter.push(piece) as string;
  return out + rewriter.end();
}

function parse(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      const data = JSON.parse(dataLine!.slice('data: '.length)) as Record<string, unknown>;
      assert.equal(eventLine, `event: ${String(data.type)}`);
      return data;
    });
}

test('text stream: created, in_progress, item and part added, deltas, done events, completed; numbered from 0', () => {
  const events = parse(translate(TEXT_STREAM));
  assert.deepEqual(events.map((e) => e.type), [
    'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
    'response.output_text.delta', 'response.output_text.delta', 'response.output_text.delta', 'response.output_text.delta',
    'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
  ]);
  assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, index) => index));
  assert.equal(events[8]!.text, 'Hello, world! Ünïcödé ✓');
  const final = events.at(-1)!.response as Record<string, unknown>;
  assert.equal(final.id, 'resp_abc123');
  assert.equal(final.status, 'completed');
  assert.equal(final.instructions, 'Be brief.');
  assert.deepEqual(final.usage, { input_tokens: 12, input_tokens_details: { cached_tokens: 2 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 19 });
  assert.deepEqual((final.output as unknown[])[0], { id: 'msg_abc123', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello, world! Ünïcödé ✓', annotations: [], logprobs: [] }] });
});

test('split-proof', () => {
  const expected = translate(TOOL_STREAM);
  for (const pieces of splitsOf(TOOL_STREAM)) assert.equal(translate(pieces), expected);
});

test('tool calls: the message closes, one function_call item per call, arguments accumulated', () => {
  const events = parse(translate(TOOL_STREAM));
  const added = events.filter((e) => e.type === 'response.output_item.added').map((e) => e.item as Record<string, unknown>);
  assert.deepEqual(added.map((item) => item.type), ['message', 'function_call', 'function_call']);
  const done = events.filter((e) => e.type === 'response.function_call_arguments.done');
  assert.deepEqual(done.map((e) => [e.output_index, e.arguments]), [[1, '{"city":"Paris"}'], [2, '{"tz":"CET"}']]);
  const final = events.at(-1)!.response as { output: Array<Record<string, unknown>> };
  assert.deepEqual(final.output[1], { id: 'fc_call_1', type: 'function_call', status: 'completed', arguments: '{"city":"Paris"}', call_id: 'call_1', name: 'get_weather' });
});

test('length → response.incomplete with max_output_tokens', () => {
  const events = parse(translate(REASONING_STREAM));
  const last = events.at(-1)!;
  assert.equal(last.type, 'response.incomplete');
  assert.deepEqual((last.response as Record<string, unknown>).incomplete_details, { reason: 'max_output_tokens' });
});

test('cut stream and error chunk throw; the error frame is the contract body', () => {
  const rewriter = new ChatToResponsesRewriter(ECHO);
  rewriter.push(TEXT_STREAM.slice(0, 2).join(''));
  assert.throws(() => rewriter.end(), GatewayError);
  assert.equal(rewriter.errorFrame(new GatewayError({ reason: 'upstream', status: 500, message: 'x' })), 'data: {"error":{"message":"x","type":"api_error","param":null,"code":"500"}}\n\n');
});

test('non-stream: output message and function_call items', () => {
  const response = JSON.parse(new ChatToResponsesRewriter(ECHO).rewriteBody(Buffer.from(JSON.stringify(CHAT_COMPLETION)))) as Record<string, unknown>;
  assert.equal(response.id, 'resp_xyz');
  assert.equal(response.model, 'alias');
  assert.deepEqual((response.output as Array<{ type: string }>).map((item) => item.type), ['message', 'function_call']);
  assert.equal((response.usage as { total_tokens: number }).total_tokens, 25);
});
