import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapOpenAIError } from './map-error.js';

test('status, message, type and param of an OpenAI error are kept', () => {
  const error = mapOpenAIError(400, JSON.stringify({ error: { message: 'bad temperature', type: 'invalid_request_error', param: 'temperature', code: null } }), {});
  assert.equal(error.status, 400);
  assert.equal(error.message, 'bad temperature');
  assert.equal(error.type, 'invalid_request_error');
  assert.equal(error.param, 'temperature');
  assert.equal(error.retryable, false);
  assert.equal(error.reason, 'upstream');
});

test('429 is rate_limit_error whatever the provider says, retry-after kept, retryable', () => {
  const error = mapOpenAIError(429, JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }), { 'retry-after': '12' });
  assert.equal(error.type, 'rate_limit_error');
  assert.deepEqual(error.headers, { 'retry-after': '12' });
  assert.equal(error.retryable, true);
});

test('context-window and content-policy errors are recognisable for fallbacks', () => {
  const context = mapOpenAIError(400, JSON.stringify({ error: { message: "This model's maximum context length is 8192 tokens", code: 'context_length_exceeded' } }), {});
  assert.equal(context.reason, 'context_window_exceeded');
  const policy = mapOpenAIError(400, JSON.stringify({ error: { message: 'Your request was rejected by our safety system', code: 'content_policy_violation' } }), {});
  assert.equal(policy.reason, 'content_policy_violation');
  const azure = mapOpenAIError(400, JSON.stringify({ error: { message: 'filtered', code: 'content_filter' } }), {});
  assert.equal(azure.reason, 'content_policy_violation');
});

test('non-JSON and odd bodies still give a message', () => {
  assert.equal(mapOpenAIError(502, '<html>Bad Gateway</html>', {}).message, '<html>Bad Gateway</html>');
  assert.equal(mapOpenAIError(500, '', {}).message, 'Upstream returned HTTP 500');
  assert.equal(mapOpenAIError(503, JSON.stringify({ message: 'overloaded' }), {}).message, 'overloaded');
  assert.equal(mapOpenAIError(503, JSON.stringify({ detail: 'x' }), {}).type, 'api_error');
});
