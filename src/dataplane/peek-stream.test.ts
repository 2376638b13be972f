// The stream peek: an error event among a stream's first events is recognised and mapped like an error response.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findProvider } from '../providers/registry.js';
import { peekStreamError, peekWindowEnd } from './upstream-exchange.js';

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

test('only the first two events of a chunk are decoded for the peek, or all of it up to 4 KB', () => {
  const event = (n: number): string => `data: {"choices":[{"delta":{"content":"${n}"}}]}\n\n`;
  const whole = Buffer.from([1, 2, 3, 4, 5].map(event).join(''));
  const twoEvents = Buffer.byteLength(event(1) + event(2));
  assert.equal(peekWindowEnd(whole, 0), twoEvents, 'a whole stream in one chunk: up to the end of the second event');
  assert.equal(peekWindowEnd(whole, 1), Buffer.byteLength(event(1)), 'one event already held: up to the end of the first');
  const partial = Buffer.from('data: {"choices":[{"delta":{"content":"no end yet"');
  assert.equal(peekWindowEnd(partial, 0), partial.length, 'no event end: the whole chunk');
  const long = Buffer.from(`${'x'.repeat(5000)}\n\n${event(2)}`);
  assert.equal(peekWindowEnd(long, 1), 4096, 'an event end past 4 KB is outside the window');
});
