import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileWildcard, fillWildcard } from './wildcard.js';

test('a single-star pattern captures what the star matched', () => {
  const pattern = compileWildcard('openai/*');
  assert.equal(pattern.match('openai/gpt-4o'), 'gpt-4o');
  assert.equal(pattern.match('openai/'), '');
  assert.equal(pattern.match('anthropic/claude'), null);
});

test('prefix and suffix around the star must both match', () => {
  const pattern = compileWildcard('claude-*-latest');
  assert.equal(pattern.match('claude-3-5-sonnet-latest'), '3-5-sonnet');
  assert.equal(pattern.match('claude-3-5-sonnet'), null);
  assert.equal(pattern.match('claude-latest'), null, 'prefix and suffix may not overlap');
});

test('the catch-all matches everything and is least specific', () => {
  const all = compileWildcard('*');
  assert.equal(all.match('anything/at all'), 'anything/at all');
  assert.ok(compileWildcard('openai/*').specificity > all.specificity);
});

test('several stars compile to one regex, regex characters are literal', () => {
  const pattern = compileWildcard('a.*/b+*');
  assert.equal(pattern.match('a.x/b+y'), 'x/y');
  assert.equal(pattern.match('abx/b+y'), null);
});

test('fillWildcard substitutes into templates with a star only', () => {
  assert.equal(fillWildcard('openai/*', 'gpt-4o'), 'openai/gpt-4o');
  assert.equal(fillWildcard('openai/gpt-4o-mini', 'anything'), 'openai/gpt-4o-mini');
});
