// The byte scanner reads usage objects exactly as JSON.parse + usageFromOpenAI do, and hands anything unusual back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanUsage } from './usage-scan.js';
import { extractUsage, usageFromOpenAI } from './usage.js';

function slow(text: string): ReturnType<typeof usageFromOpenAI> {
  return usageFromOpenAI(JSON.parse(text));
}

function scan(text: string): ReturnType<typeof scanUsage> {
  const buffer = Buffer.from(text);
  return scanUsage(buffer, 0);
}

test('an OpenAI usage object, an Anthropic one and a Responses API one read as JSON.parse reads them', () => {
  const samples = [
    '{"prompt_tokens":205,"completion_tokens":56,"total_tokens":261,"prompt_tokens_details":{"cached_tokens":12,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}',
    '{"input_tokens":10,"cache_creation_input_tokens":4,"cache_read_input_tokens":7,"output_tokens":3,"service_tier":"standard","server_tool_use":{"web_search_requests":0}}',
    '{"input_tokens":9,"input_tokens_details":{"cached_tokens":2},"output_tokens":5,"output_tokens_details":{"reasoning_tokens":1},"total_tokens":14}',
    '{ "prompt_tokens" : 1 ,\n "completion_tokens":\t2 }',
    '{}',
    '{"prompt_tokens":null,"input_tokens":8,"total_tokens":null,"prompt_tokens_details":null,"input_tokens_details":{"cached_tokens":null}}',
    '{"prompt_tokens":3,"prompt_tokens":4,"extra":[1,{"a":"}]"},"x\\"y"],"note":"a \\"quoted\\" } brace"}',
    '{"prompt_tokens_details":{},"cache_read_input_tokens":5}',
  ];
  for (const text of samples) assert.deepEqual(scan(text), slow(text), `same usage for ${text}`);
});

test('what the scanner does not read exactly it hands back for the slow path', () => {
  const handedBack = [
    '{"prompt_tokens":-1}', '{"prompt_tokens":1.5}', '{"prompt_tokens":1e3}', '{"prompt_tokens":"12"}', '{"prompt_tokens":007}',
    '{"prompt_tokens":12345678901234567}', '{"prompt_tokens_details":[1]}', '{"prompt_tokens_details":{"cached_tokens":"3"}}',
    '{"pro\\u006dpt_tokens":5}', '{"prompt_tokens":5', '{"prompt_tokens" 5}', '{"prompt_tokens":true}', '[1]',
  ];
  for (const text of handedBack) assert.equal(scan(text), null, `handed back: ${text}`);
});

test('random usage objects read the same both ways', () => {
  const keys = ['prompt_tokens', 'completion_tokens', 'total_tokens', 'input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens', 'other', 'service_tier'];
  const value = (): unknown => {
    const roll = Math.random();
    if (roll < 0.6) return Math.floor(Math.random() * 100_000);
    if (roll < 0.7) return null;
    if (roll < 0.8) return 'text "with" {braces} and \\ slashes';
    if (roll < 0.9) return { nested: [1, 2, { deep: 'x' }] };
    return 0;
  };
  const details = (): unknown => (Math.random() < 0.3 ? null : Math.random() < 0.5 ? { cached_tokens: value() === null ? null : Math.floor(Math.random() * 50), audio_tokens: 0 } : {});
  let scanned = 0;
  for (let round = 0; round < 2_000; round++) {
    const usage: Record<string, unknown> = {};
    for (const key of keys) if (Math.random() < 0.6) usage[key] = value();
    if (Math.random() < 0.5) usage.prompt_tokens_details = details();
    if (Math.random() < 0.3) usage.input_tokens_details = details();
    const text = JSON.stringify(usage, null, Math.random() < 0.2 ? 2 : undefined);
    const fast = scan(text);
    if (fast === null) continue;
    scanned++;
    assert.deepEqual(fast, slow(text), `same usage for ${text}`);
  }
  assert.ok(scanned > 300, `most random objects were scanned, not handed back (${scanned} of 2000)`);
});

test('extractUsage gives the same answer through the scanner and through the fallback', () => {
  const fast = Buffer.from('{"id":"x","usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}}');
  const fallback = Buffer.from('{"id":"x","usage":{"prompt_tokens":7.0,"completion_tokens":3,"total_tokens":10}}');
  assert.deepEqual(extractUsage(fast), extractUsage(fallback), 'a fractional count falls back to JSON.parse and reads the same');
  assert.equal(extractUsage(Buffer.from('{"usage":{"prompt_tokens":"7"}}'))?.promptTokens, 0, 'a string count is read by the fallback, as before');
});
