import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError, errorBody, errorEvent, isRetryableStatus, toGatewayError, unknownModel } from './errors.js';

test('errors serialise to the OpenAI shape with the status as a string code', () => {
  const error = new GatewayError({ reason: 'rate_limited', status: 429, message: 'slow down', headers: { 'retry-after': '3' } });
  assert.deepEqual(JSON.parse(errorBody(error)), { error: { message: 'slow down', type: 'rate_limit_error', param: null, code: '429' } });
  assert.equal(error.retryable, true);
});

test('unknown model names the model param', () => {
  const body = unknownModel('gpt-9').toJSON();
  assert.equal(body.error.param, 'model');
  assert.equal(body.error.type, 'invalid_request_error');
  assert.equal(body.error.code, '400');
  assert.match(body.error.message, /gpt-9/);
});

test('retryable statuses follow 408/409/429/5xx', () => {
  for (const status of [408, 409, 429, 500, 502, 503, 529]) assert.equal(isRetryableStatus(status), true, String(status));
  for (const status of [400, 401, 403, 404, 413, 422]) assert.equal(isRetryableStatus(status), false, String(status));
});

test('unexpected exceptions become a 500 that leaks nothing', () => {
  const error = toGatewayError(new Error('secret connection string postgres://user:pw@host'));
  assert.equal(error.status, 500);
  assert.doesNotMatch(errorBody(error), /postgres/);
});

test('a mid-stream failure is one SSE data event carrying the error object', () => {
  const event = errorEvent(new GatewayError({ reason: 'upstream_unreachable', status: 502, message: 'gone' }));
  assert.match(event, /^data: \{"error":\{.*"code":"502"\}\}\n\n$/);
});
