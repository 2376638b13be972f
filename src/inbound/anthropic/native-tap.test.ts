import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnthropicNativeTap } from './native-tap.js';

const STREAM = [
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":10,"cache_read_input_tokens":90,"cache_creation_input_tokens":5,"output_tokens":1}}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\\"usage\\" is a word"}}\n\n',
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":42}}\n\n',
];

test('bytes pass unchanged; usage combines message_start input with message_delta output', () => {
  const tap = new AnthropicNativeTap();
  const whole = Buffer.from(STREAM.join(''));
  const out: Buffer[] = [];
  for (let at = 0; at < whole.length; at += 13) out.push(tap.push(whole.subarray(at, at + 13)) as Buffer);
  assert.equal(tap.end(), '');
  assert.deepEqual(Buffer.concat(out), whole);
  assert.deepEqual(tap.usage, { promptTokens: 105, completionTokens: 42, totalTokens: 147, cachedPromptTokens: 90, cacheCreationTokens: 5 });
});

test('non-stream bodies are returned as-is, usage read', () => {
  const tap = new AnthropicNativeTap();
  const body = Buffer.from('{"id":"msg_1","usage":{"input_tokens":3,"output_tokens":4}}');
  assert.equal(tap.rewriteBody(body), body);
  assert.equal(tap.usage!.totalTokens, 7);
  assert.equal(new AnthropicNativeTap().rewriteBody(Buffer.from('not json')).toString(), 'not json');
});
