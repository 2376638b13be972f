// What `npm run build` leaves in dist/ (the test command builds first): the CLI stub and the bundle's chunks.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const DIST = new URL('../../dist/', import.meta.url);

test('the sluice binary starts node with the memory settings', () => {
  const firstLine = readFileSync(new URL('cli.js', DIST), 'utf8').split('\n')[0];
  assert.equal(firstLine, '#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=2');
});

test('every bundle chunk is ASCII, so V8 keeps its source one byte per character', () => {
  const chunks = readdirSync(new URL('bundle/', DIST)).filter((name) => name.endsWith('.js'));
  assert.ok(chunks.length > 2, `expected the bundle's chunks in dist/bundle, found ${chunks.join(', ')}`);
  for (const name of chunks) {
    const text = readFileSync(new URL(`bundle/${name}`, DIST), 'utf8');
    const index = text.search(/[^\x00-\x7f]/);
    assert.equal(index, -1, `${name} has a non-ASCII character near: ${JSON.stringify(text.slice(Math.max(0, index - 40), index + 10))}`);
  }
});
