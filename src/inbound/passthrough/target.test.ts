import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateConfigObject } from '../../config/load-config.js';
import { buildSnapshot } from '../../config/snapshot.js';
import { PASS_THROUGH_PROVIDERS } from './prefixes.js';
import { compileTarget } from './target.js';

function targetsFor(config: Record<string, unknown>, env: NodeJS.ProcessEnv): Map<string, ReturnType<typeof compileTarget>> {
  const snapshot = buildSnapshot(validateConfigObject(config, env).config, env);
  return new Map(PASS_THROUGH_PROVIDERS.map((provider) => [provider.id, compileTarget(provider, snapshot)]));
}

test('nothing configured: every prefix explains what to set, and nothing would be sent', () => {
  const targets = targetsFor({ model_list: [] }, {});
  for (const [id, target] of targets) {
    if (id === 'openai' || id === 'anthropic' || id === 'gemini' || id === 'cohere' || id === 'mistral') assert.match(target.problem ?? '', /API key/, id);
    else assert.notEqual(target.problem, null, id);
  }
});

test('environment: default bases, key headers; bedrock signs or uses its bearer key', () => {
  const targets = targetsFor({ model_list: [] }, { MISTRAL_API_KEY: 'm', ANTHROPIC_API_KEY: 'a', AZURE_API_BASE: 'https://res.openai.azure.com/openai', AZURE_API_KEY: 'z', AWS_BEARER_TOKEN_BEDROCK: 'b', AWS_REGION: 'eu-west-1' });
  const mistral = targets.get('mistral')!;
  assert.deepEqual([mistral.origin, mistral.basePath, mistral.authHeaders], ['https://api.mistral.ai', '', { authorization: 'Bearer m' }]);
  assert.deepEqual(targets.get('anthropic')!.authHeaders, { 'x-api-key': 'a' });
  assert.deepEqual(targets.get('anthropic')!.defaultHeaders, { 'anthropic-version': '2023-06-01' });
  const azure = targets.get('azure')!;
  assert.deepEqual([azure.origin, azure.basePath, azure.authHeaders], ['https://res.openai.azure.com', '', { 'api-key': 'z' }]);
  const bedrock = targets.get('bedrock')!;
  assert.deepEqual([bedrock.origin, bedrock.signer, bedrock.authHeaders], ['https://bedrock-runtime.eu-west-1.amazonaws.com', null, { authorization: 'Bearer b' }]);
  const signed = targetsFor({ model_list: [] }, { AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's', AWS_REGION: 'us-west-2' }).get('bedrock')!;
  assert.notEqual(signed.signer, null);
});

test("config: the first deployment of the provider gives base and key, api_base's version suffix dropped", () => {
  const targets = targetsFor({ model_list: [{ model_name: 'a', litellm_params: { model: 'openai/gpt-4o', api_base: 'http://127.0.0.1:9/proxy/v1', api_key: 'sk-conf' } }] }, { OPENAI_API_KEY: 'sk-env' });
  const openai = targets.get('openai')!;
  assert.deepEqual([openai.origin, openai.basePath, openai.authHeaders], ['http://127.0.0.1:9', '/proxy', { authorization: 'Bearer sk-conf' }]);
});
