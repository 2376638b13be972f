import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from './config-problem.js';
import { defaultConfigObject } from './default-config.js';
import { validateConfigObject } from './load-config.js';
import { ModelResolver } from './model-resolver.js';
import { buildSnapshot } from './snapshot.js';

function snapshotOf(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  return buildSnapshot(validateConfigObject(raw, env).config, env);
}

test('deployments compile their URL, auth header and request defaults once', () => {
  const snapshot = snapshotOf({
    model_list: [{ model_name: 'fast', litellm_params: { model: 'groq/llama-3.3-70b', api_key: 'gk', temperature: 0.1, rpm: 10 } }],
  });
  const deployment = snapshot.groups.get('fast')!.deployments[0]!;
  assert.equal(deployment.provider, 'groq');
  assert.equal(deployment.upstreamModel, 'llama-3.3-70b');
  assert.equal(deployment.prepared!.origin, 'https://api.groq.com');
  assert.equal(deployment.prepared!.basePath, '/openai/v1');
  assert.equal(deployment.prepared!.headers.authorization, 'Bearer gk');
  assert.deepEqual(deployment.defaultParams, { temperature: 0.1 }, 'rpm is the router’s, temperature the provider’s');
  assert.match(deployment.id, /^[0-9a-f]{64}$/);
});

test('provider keys come from the catalog’s env vars when not in the config', () => {
  const snapshot = snapshotOf({ model_list: [{ model_name: 'm', litellm_params: { model: 'mistral/mistral-large-latest' } }] }, { MISTRAL_API_KEY: 'mk' });
  assert.equal(snapshot.groups.get('m')!.deployments[0]!.prepared!.headers.authorization, 'Bearer mk');
});

test('azure deployments use deployment URLs, api-version and the api-key header', () => {
  const snapshot = snapshotOf({
    model_list: [{ model_name: 'az', litellm_params: { model: 'azure/my-gpt4o', api_base: 'https://res.openai.azure.com/', api_key: 'ak', api_version: '2024-06-01' } }],
  });
  const deployment = snapshot.groups.get('az')!.deployments[0]!;
  const request = deployment.adapter!.buildRequest('chat', { model: 'my-gpt4o', messages: [] }, deployment.prepared!);
  assert.equal(request.origin, 'https://res.openai.azure.com');
  assert.equal(request.path, '/openai/deployments/my-gpt4o/chat/completions?api-version=2024-06-01');
  assert.equal(request.headers['api-key'], 'ak');
  assert.equal(request.headers.authorization, undefined);
});

test('unknown providers and missing api_base are reported with their paths', () => {
  try {
    snapshotOf({ model_list: [{ model_name: 'x', litellm_params: { model: 'nosuch/model' } }, { model_name: 'y', litellm_params: { model: 'hosted_vllm/llama' } }] });
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.problems.map((problem) => problem.path), ['model_list[0].litellm_params.model', 'model_list[1].litellm_params.api_base']);
  }
});

test('exact names win over wildcards; the most specific wildcard wins', () => {
  const snapshot = snapshotOf({
    model_list: [
      { model_name: '*', litellm_params: { model: 'openai/*', api_key: 'k' } },
      { model_name: 'groq/*', litellm_params: { model: 'groq/*', api_key: 'k' } },
      { model_name: 'groq/special', litellm_params: { model: 'openai/gpt-4o', api_key: 'k' } },
    ],
  });
  const resolver = new ModelResolver(snapshot);
  assert.equal(resolver.resolve('groq/special')!.deployments[0]!.provider, 'openai');
  const groq = resolver.resolve('groq/llama-3.1-8b')!.deployments[0]!;
  assert.equal(groq.provider, 'groq');
  assert.equal(groq.upstreamModel, 'llama-3.1-8b');
  const other = resolver.resolve('gpt-4.1')!.deployments[0]!;
  assert.equal(other.provider, 'openai');
  assert.equal(other.upstreamModel, 'gpt-4.1');
  assert.strictEqual(resolver.resolve('gpt-4.1'), resolver.resolve('gpt-4.1'), 'wildcard groups are cached');
});

test('model_group_alias maps to a group; hidden aliases are not listed', () => {
  const snapshot = snapshotOf({
    model_list: [{ model_name: 'gpt-4o', litellm_params: { model: 'openai/gpt-4o', api_key: 'k' } }],
    router_settings: { model_group_alias: { gpt4: 'gpt-4o', secret: { model: 'gpt-4o', hidden: true } } },
  });
  assert.strictEqual(snapshot.groups.get('gpt4'), snapshot.groups.get('gpt-4o'));
  assert.deepEqual(snapshot.publicModelNames, ['gpt-4o', 'gpt4']);
});

test('without a config: the mock model plus one wildcard per provider key in the env', () => {
  const env = { OPENAI_API_KEY: 'sk-o', GROQ_API_KEY: 'gk' };
  const raw = defaultConfigObject(env);
  assert.deepEqual(raw.model_list.map((entry) => entry.model_name), ['mock', 'openai/*', 'groq/*']);
  const snapshot = snapshotOf(raw as unknown as Record<string, unknown>, env);
  assert.equal(snapshot.groups.get('mock')!.deployments[0]!.mockResponse, '');
  assert.equal(new ModelResolver(snapshot).resolve('openai/gpt-4o')!.deployments[0]!.prepared!.headers.authorization, 'Bearer sk-o');
});

test('master key falls back to LITELLM_MASTER_KEY; request size to 10 MB', () => {
  const snapshot = snapshotOf({}, { LITELLM_MASTER_KEY: 'sk-master' });
  assert.equal(snapshot.settings.masterKey, 'sk-master');
  assert.equal(snapshot.settings.maxRequestBytes, 10 * 1024 * 1024);
});
