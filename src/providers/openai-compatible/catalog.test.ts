import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OPENAI_COMPATIBLE_VENDORS } from './catalog.js';

test('the catalog covers at least 25 OpenAI-compatible vendors with unique ids', () => {
  const ids = OPENAI_COMPATIBLE_VENDORS.map((vendor) => vendor.id);
  assert.ok(ids.length >= 25, `${ids.length} vendors`);
  assert.equal(new Set(ids).size, ids.length);
  for (const required of ['groq', 'together_ai', 'fireworks_ai', 'deepseek', 'deepinfra', 'perplexity', 'xai', 'mistral', 'cerebras', 'nvidia_nim', 'sambanova', 'openrouter', 'ollama', 'github', 'nebius', 'moonshot', 'dashscope', 'novita', 'hyperbolic', 'featherless_ai', 'lambda_ai', 'friendliai', 'codestral']) {
    assert.ok(ids.includes(required), required);
  }
});

test('every row is usable: a valid base URL (or requires one), key variables, a reference', () => {
  for (const vendor of OPENAI_COMPATIBLE_VENDORS) {
    if (vendor.quirks.requiresApiBase === true) assert.equal(vendor.baseUrl, '', vendor.id);
    else assert.doesNotThrow(() => new URL(vendor.baseUrl), vendor.id);
    assert.ok(!vendor.baseUrl.endsWith('/'), `${vendor.id}: no trailing slash`);
    for (const name of vendor.apiKeyEnv) assert.match(name, /^[A-Z][A-Z0-9_]*$/, vendor.id);
    assert.match(vendor.docs, /^https:\/\//, vendor.id);
  }
});
