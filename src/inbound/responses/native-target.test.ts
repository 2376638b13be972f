import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateConfigObject } from '../../config/load-config.js';
import { buildSnapshot } from '../../config/snapshot.js';
import { responsesTarget, speaksResponses } from './native-target.js';

function deploymentOf(params: Record<string, unknown>) {
  const env = {};
  const snapshot = buildSnapshot(validateConfigObject({ model_list: [{ model_name: 'm', litellm_params: params }] }, env).config, env);
  return snapshot.groups.get('m')!.deployments[0]!;
}

test('OpenAI: /responses under api_base, with its key', () => {
  const deployment = deploymentOf({ model: 'openai/gpt-4o', api_base: 'https://proxy.example/openai/v1', api_key: 'sk' });
  assert.equal(speaksResponses(deployment), true);
  const target = responsesTarget(deployment);
  assert.deepEqual([target.origin, target.path, target.headers.authorization], ['https://proxy.example', '/openai/v1/responses', 'Bearer sk']);
});

test('Azure: the resource-level /openai/responses, with a Responses-capable api-version', () => {
  const old = responsesTarget(deploymentOf({ model: 'azure/my-dep', api_base: 'https://res.openai.azure.com/', api_key: 'az', api_version: '2024-10-21' }));
  assert.deepEqual([old.origin, old.path, old.headers['api-key']], ['https://res.openai.azure.com', '/openai/responses?api-version=2025-04-01-preview', 'az']);
  const recent = responsesTarget(deploymentOf({ model: 'azure/my-dep', api_base: 'https://res.openai.azure.com/openai', api_key: 'az', api_version: '2025-05-01-preview' }));
  assert.equal(recent.path, '/openai/responses?api-version=2025-05-01-preview');
});

test('other providers are translated', () => {
  assert.equal(speaksResponses(deploymentOf({ model: 'groq/llama-3.3-70b', api_key: 'g' })), false);
  assert.equal(speaksResponses(deploymentOf({ model: 'anthropic/claude-sonnet-4-5', api_key: 'a' })), false);
});
