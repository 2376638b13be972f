import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { CHAT_COMPLETION, REASONING_STREAM, TEXT_STREAM, TOOL_STREAM, splitsOf } from '../openai-chunks.fixture.js';
import { ChatToAnthropicRewriter } from './stream-translator.js';

interface Event {
  event: string;
  data: Record<string, unknown>;
}

function translate(pieces: ReadonlyArray<string | Buffer>): string {
  const rewriter = new ChatToAnthropicRewriter('claude-alias');
  let out = '';
  for (const piece of pieces) out += rewriter.push(piece) as string;
  return out + rewriter.end();
}

function parse(text: string): Event[] {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return { event: eventLine!.slice('event: '.length), data: JSON.parse(dataLine!.slice('data: '.length)) as Record<string, unknown> };
    });
}

test('text stream: Anthropic event sequence, one delta per chunk, usage at the end', () => {
  const events = parse(translate(TEXT_STREAM));
  assert.deepEqual(events.map((e) => e.event), [
    'message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_delta',
    'content_block_stop', 'message_delta', 'message_stop',
  ]);
  for (const e of events) assert.equal(e.data.type, e.event, 'data.type matches the event name');
  const start = events[0]!.data.message as Record<string, unknown>;
  assert.equal(start.id, 'msg_abc123');
  assert.equal(start.model, 'claude-alias');
  const text = events.filter((e) => e.event === 'content_block_delta').map((e) => (e.data.delta as { text: string }).text).join('');
  assert.equal(text, 'Hello, world! Ünïcödé ✓');
  const delta = events.at(-2)!.data;
  assert.deepEqual(delta.delta, { stop_reason: 'end_turn', stop_sequence: null });
  assert.deepEqual(delta.usage, { input_tokens: 10, output_tokens: 7, cache_read_input_tokens: 2, cache_creation_input_tokens: 0 });
});

test('the output does not depend on where the upstream bytes were split', () => {
  const expected = translate(TEXT_STREAM);
  for (const pieces of splitsOf(TEXT_STREAM)) assert.equal(translate(pieces), expected);
  const tools = translate(TOOL_STREAM);
  for (const pieces of splitsOf(TOOL_STREAM)) assert.equal(translate(pieces), tools);
});

test('tool calls: text block, then one tool_use block per call with input_json_delta pieces', () => {
  const events = parse(translate(TOOL_STREAM));
  const starts = events.filter((e) => e.event === 'content_block_start').map((e) => e.data);
  assert.deepEqual(starts.map((s) => s.index), [0, 1, 2]);
  assert.deepEqual(starts[1]!.content_block, { type: 'tool_use', id: 'call_1', name: 'get_weather', input: {} });
  const json = events.filter((e) => e.event === 'content_block_delta' && e.data.index === 1).map((e) => (e.data.delta as { partial_json: string }).partial_json).join('');
  assert.deepEqual(JSON.parse(json), { city: 'Paris' });
  assert.equal(events.filter((e) => e.event === 'content_block_stop').length, 3);
  assert.equal((events.at(-2)!.data.delta as { stop_reason: string }).stop_reason, 'tool_use');
});

test('reasoning_content becomes a thinking block; length → max_tokens', () => {
  const events = parse(translate(REASONING_STREAM));
  const starts = events.filter((e) => e.event === 'content_block_start').map((e) => (e.data.content_block as { type: string }).type);
  assert.deepEqual(starts, ['thinking', 'text']);
  assert.equal((events.at(-2)!.data.delta as { stop_reason: string }).stop_reason, 'max_tokens');
});

test('a stream that stops before finishing, or carries an error, throws a GatewayError', () => {
  const rewriter = new ChatToAnthropicRewriter('m');
  rewriter.push(TEXT_STREAM.slice(0, 3).join(''));
  assert.throws(() => rewriter.end(), (error: unknown) => error instanceof GatewayError && error.status === 502);
  const failing = new ChatToAnthropicRewriter('m');
  assert.throws(() => failing.push(`${TEXT_STREAM[1]}data: {"error":{"message":"overloaded","code":503}}\n\n`), (error: unknown) => error instanceof GatewayError && error.status === 503 && error.message === 'overloaded');
  assert.match(failing.errorFrame(new GatewayError({ reason: 'upstream', status: 503, message: 'overloaded' })), /event: error\ndata: \{"error":\{"message":"overloaded"/);
  assert.throws(() => new ChatToAnthropicRewriter('m').push('data: {not json\n\n'), GatewayError);
});

test('non-stream: a message with text and tool_use blocks, usage and stop_reason', () => {
  const rewriter = new ChatToAnthropicRewriter('claude-alias');
  const message = JSON.parse(rewriter.rewriteBody(Buffer.from(JSON.stringify(CHAT_COMPLETION)))) as Record<string, unknown>;
  assert.deepEqual(message, {
    id: 'msg_xyz',
    type: 'message',
    role: 'assistant',
    model: 'claude-alias',
    content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'call_9', name: 'get_weather', input: { city: 'Oslo' } }],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 20, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  });
  assert.equal(rewriter.usage!.totalTokens, 25);
  assert.throws(() => rewriter.rewriteBody(Buffer.from('{"choices":')), GatewayError);
  assert.throws(() => rewriter.rewriteBody(Buffer.from('{"object":"x"}')), GatewayError);
});
