import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numberText } from './number-text.js';

test('numberText is String(n) for every kind of number', () => {
  const samples = [0, -0, 1, -1, 42, 999_999_999, 1e12 - 261, 5.44298040000003, 6.434999999999999e-5, 0.1 + 0.2, 1e-7, 1e21, 123456789012345680000, 2 ** 53 + 2, -1.5e-300,
    Number.MAX_VALUE, Number.MIN_VALUE, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (let index = 0; index < 10_000; index++) samples.push(Math.random() * 10 ** Math.floor(Math.random() * 30 - 15));
  for (const value of samples) assert.equal(numberText(value), String(value), `same text for ${String(value)}`);
});
