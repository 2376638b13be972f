import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamUsageScanner, extractUsage, usageFromOpenAI } from './usage.js';

test('extractUsage reads the usage object of a chat completion', () => {
  const body = Buffer.from(JSON.stringify({ id: 'x', choices: [{ message: { content: 'the word "usage" in text {' } }], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10, prompt_tokens_details: { cached_tokens: 2 } } }));
  assert.deepEqual(extractUsage(body), { promptTokens: 7, completionTokens: 3, totalTokens: 10, cachedPromptTokens: 2, cacheCreationTokens: 0 });
});

test('extractUsage returns null without usage or with usage null', () => {
  assert.equal(extractUsage(Buffer.from('{"id":"x"}')), null);
  assert.equal(extractUsage(Buffer.from('{"usage":null}')), null);
});

test('the stream scanner finds usage even when it straddles two chunks', () => {
  const event = `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 } })}\n\ndata: [DONE]\n\n`;
  const scanner = new StreamUsageScanner();
  const cut = event.indexOf('"completion_tokens"');
  scanner.push(Buffer.from('data: {"choices":[{"delta":{"content":"hi"}}]}\n\n'));
  scanner.push(Buffer.from(event.slice(0, cut)));
  scanner.push(Buffer.from(event.slice(cut)));
  const usage = scanner.finish();
  assert.equal(usage?.completionTokens, 9);
  assert.equal(usage?.totalTokens, 14);
});

test('the stream scanner finds usage when the marker itself is split, after a long stream', () => {
  const scanner = new StreamUsageScanner();
  const filler = Buffer.from(`data: ${JSON.stringify({ choices: [{ delta: { content: 'x'.repeat(200) } }] })}\n\n`);
  for (let index = 0; index < 500; index++) scanner.push(filler);
  const event = `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } })}\n\n`;
  const cut = event.indexOf('"usage"') + 3;
  scanner.push(Buffer.from(event.slice(0, cut)));
  scanner.push(Buffer.from(event.slice(cut)));
  assert.equal(scanner.finish()?.totalTokens, 3);
});

test('a stream without usage yields null', () => {
  const scanner = new StreamUsageScanner();
  scanner.push(Buffer.from('data: {"choices":[]}\n\ndata: [DONE]\n\n'));
  assert.equal(scanner.finish(), null);
});

test('Responses and Anthropic style input/output tokens are understood', () => {
  assert.deepEqual(usageFromOpenAI({ input_tokens: 4, output_tokens: 6, cache_read_input_tokens: 1, cache_creation_input_tokens: 2 }), {
    promptTokens: 4, completionTokens: 6, totalTokens: 10, cachedPromptTokens: 1, cacheCreationTokens: 2,
  });
});
