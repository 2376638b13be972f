// Cache keys must equal LiteLLM's (reference hashes computed with Python's str() as LiteLLM's get_cache_key does).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../core/json.js';
import { cacheKey, cacheKeyText } from './cache-key.js';
import { pythonRepr } from './python-str.js';

test('python repr: quotes, escapes, booleans, None, floats', () => {
  assert.equal(pythonRepr("It's \"q\"\n"), `'It\\'s "q"\\n'`);
  assert.equal(pythonRepr("b's"), `"b's"`);
  assert.equal(pythonRepr({ a: true, b: null, c: [1, 0.5, 1e-7] }), "{'a': True, 'b': None, 'c': [1, 0.5, 1e-07]}");
});

test('key text and hash match LiteLLM for a chat body (model group, body order, None and non-model params skipped)', () => {
  const body = JSON.parse(
    '{"model":"gpt-4o","messages":[{"role":"user","content":"It\'s \\"quoted\\"\\nline é"}],"temperature":0.7,"max_tokens":10,"stream":true,"tools":null,"n":1,"logit_bias":{"50256":-100},"stop":["a","b\'s"],"seed":3,"top_p":1e-7,"user":"u1","metadata":{"x":1}}',
  ) as JsonObject;
  assert.equal(
    cacheKeyText(body, 'gpt-group', undefined, false),
    `model: gpt-groupmessages: [{'role': 'user', 'content': 'It\\'s "quoted"\\nline é'}]temperature: 0.7max_tokens: 10n: 1logit_bias: {'50256': -100}stop: ['a', "b's"]seed: 3top_p: 1e-07user: u1`,
  );
  assert.equal(cacheKey(body, 'gpt-group', null), '487c6faa814f7a1d63febc1e2ea2a79b3a57a6dd99a034d145764f3c87d1158d');
  assert.equal(cacheKey(body, 'gpt-group', 'team-a'), 'team-a:487c6faa814f7a1d63febc1e2ea2a79b3a57a6dd99a034d145764f3c87d1158d');
});

test('embedding key matches LiteLLM; stream and cache controls do not change the key', () => {
  const body: JsonObject = { model: 'e', input: ['hello world'], encoding_format: 'float' };
  assert.equal(cacheKey(body, 'emb', null), '31caf288e8f9b84404f95df73aa007bd5222210864f114a5073220f1743c2b3c');
  const chat: JsonObject = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
  const streamed: JsonObject = { ...chat, stream: true, stream_options: { include_usage: true }, cache: { ttl: 5 } };
  assert.equal(cacheKey(chat, 'g', null), cacheKey(streamed, 'g', null));
  assert.notEqual(cacheKey(chat, 'g', null), cacheKey({ ...chat, temperature: 0 }, 'g', null));
  assert.notEqual(cacheKey(chat, 'g', null), cacheKey(chat, 'other-group', null));
});
