// Provider names, server addresses and error types as the GenAI semantic conventions spell them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { providerName, serverOf } from './otel-attributes.js';

describe('otel attributes', () => {
  test('LiteLLM provider ids map to the conventions’ well-known gen_ai.provider.name values; others pass through', () => {
    assert.equal(providerName('openai'), 'openai');
    assert.equal(providerName('azure'), 'azure.ai.openai');
    assert.equal(providerName('bedrock'), 'aws.bedrock');
    assert.equal(providerName('vertex_ai'), 'gcp.vertex_ai');
    assert.equal(providerName('gemini'), 'gcp.gemini');
    assert.equal(providerName('mistral'), 'mistral_ai');
    assert.equal(providerName('xai'), 'x_ai');
    assert.equal(providerName('together_ai'), 'together_ai');
  });

  test('server.address/port from api_base: host only, default ports by scheme, IPv6 without brackets, junk → none', () => {
    assert.deepEqual(serverOf('https://api.openai.com/v1'), { host: 'api.openai.com', port: 443 });
    assert.deepEqual(serverOf('http://10.0.0.5:8000/v1'), { host: '10.0.0.5', port: 8000 });
    assert.deepEqual(serverOf('http://localhost/v1'), { host: 'localhost', port: 80 });
    assert.deepEqual(serverOf('http://[::1]:4000'), { host: '::1', port: 4000 });
    assert.equal(serverOf('not a url'), null);
  });
});
