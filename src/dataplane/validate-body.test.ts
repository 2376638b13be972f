// Body validation names the first bad field in its listed order, whatever order the client sent the fields in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../core/json.js';
import { validateBody } from './validate-body.js';

const messages = [{ role: 'user', content: 'hi' }];

test('validateBody accepts typed fields of the right type, null, and fields it does not know', () => {
  const body: JsonObject = { model: 'm', messages, stream: false, temperature: 0.2, max_tokens: 5, user: 'u', metadata: {}, tools: [], seed: null, custom: { any: 1 } };
  assert.equal(validateBody('chat', body), null, 'a well-typed body passes');
});

test('validateBody names the first bad field in its listed order, not the body order', () => {
  // `user` is listed after `temperature`; the client sent it first.
  const problem = validateBody('chat', { model: 'm', messages, user: 5, temperature: 'hot' } as JsonObject);
  assert.ok(problem !== null, 'a mistyped body is refused');
  assert.equal(problem.param, 'temperature', 'temperature is reported before user');
  assert.match(problem.message, /Invalid type for 'temperature': expected number, got string/, 'the message names the type');
  const array = validateBody('chat', { model: 'm', messages, tools: {} } as JsonObject);
  assert.equal(array?.param, 'tools', 'an object where an array belongs');
  const object = validateBody('chat', { model: 'm', messages, stream_options: [] } as JsonObject);
  assert.equal(object?.param, 'stream_options', 'an array where an object belongs');
});

test('validateBody still checks max_tokens beyond its type', () => {
  assert.equal(validateBody('chat', { model: 'm', messages, max_tokens: 0 })?.param, 'max_tokens', 'zero is refused');
  assert.equal(validateBody('chat', { model: 'm', messages, max_tokens: 1.5 })?.param, 'max_tokens', 'a fraction is refused');
});

test('validateBody names the message that is wrong', () => {
  assert.equal(validateBody('chat', { model: 'm', messages: [...messages, 'text'] })?.param, 'messages[1]', 'not an object');
  assert.equal(validateBody('chat', { model: 'm', messages: [...messages, { content: 'x' }] })?.param, 'messages[1].role', 'no role');
  assert.equal(validateBody('chat', { model: 'm', messages: [{ role: 'boss', content: 'x' }] })?.param, 'messages[0].role', 'an unknown role');
  assert.equal(validateBody('chat', { model: 'm', messages: [{ role: 'user', content: 5 }] })?.param, 'messages[0].content', 'content of another type');
});
