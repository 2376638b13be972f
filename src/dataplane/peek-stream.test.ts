// The stream peek: an error event among a stream's first events is recognised and mapped like an error response.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findProvider } from '../providers/registry.js';
import { peekStreamError } from './upstream-exchange.js';

const adapter = findProvider('openai')!.adapter;

test('an error event after an empty role event is found, with its status and message', () => {
  const head = 'data: {"choices":[{"delta":{"role":"assistant"}}]}\n\ndata: {"error":{"message":"overloaded","type":"server_error","code":"503"}}\n\n';
  const error = peekStreamError(head, adapter, {});
  assert.ok(error !== null);
  assert.equal(error.status, 503);
  assert.equal(error.message, 'overloaded');
});

test('ordinary data is not an error; a truncated error event still is (status 500)', () => {
  assert.equal(peekStreamError('data: {"choices":[{"delta":{"content":"error"}}]}\n\n', adapter, {}), null);
  assert.equal(peekStreamError('data: {"error":{"message":"cut', adapter, {})?.status, 500);
});
