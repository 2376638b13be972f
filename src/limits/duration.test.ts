import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDuration, isDuration } from './duration.js';

test('budget durations', () => {
  assert.equal(addDuration(0, '30s'), 30_000);
  assert.equal(addDuration(0, '10m'), 600_000);
  assert.equal(addDuration(0, '24h'), 86_400_000);
  assert.equal(addDuration(0, '7d'), 7 * 86_400_000);
  assert.equal(new Date(addDuration(Date.UTC(2026, 0, 31), '1mo')).toISOString().slice(0, 7), '2026-03');
  assert.equal(isDuration('1mo'), true);
  assert.equal(isDuration('soon'), false);
  assert.throws(() => addDuration(0, 'x'));
});
