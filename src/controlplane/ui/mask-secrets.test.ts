import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskSecrets, maskUrl } from './mask-secrets.js';

test('secret-named fields are masked at any depth; ids, aliases and env references are kept', () => {
  const masked = maskSecrets({
    general_settings: { master_key: 'sk-1234567890abcdefghij', database_url: 'postgres://admin:hunter2@db:5432/litellm' },
    model_list: [{ litellm_params: { api_key: 'short', aws_secret_access_key: 'AKIAsecretsecretsecret', vertex_credentials: '{"private_key":"x"}', api_base: 'https://h/v1?key=abc&x=1' } }],
    environment_variables: { OPENAI_API_KEY: 'os.environ/OPENAI_API_KEY' },
    key_alias: 'visible', team_id: 'visible', tpm_limit: 5,
  }) as any;
  assert.equal(masked.general_settings.master_key, 'sk-…ghij');
  assert.equal(masked.general_settings.database_url, 'postgres://****@db:5432/litellm');
  const params = masked.model_list[0].litellm_params;
  assert.equal(params.api_key, '********');
  assert.equal(params.aws_secret_access_key, 'AKI…cret');
  assert.ok(!JSON.stringify(masked).includes('private_key":"x'));
  assert.equal(params.api_base, 'https://h/v1?key=****&x=1');
  assert.equal(masked.environment_variables.OPENAI_API_KEY, 'os.environ/OPENAI_API_KEY');
  assert.equal(masked.key_alias, 'visible');
  assert.equal(masked.team_id, 'visible');
  assert.equal(masked.tpm_limit, 5);
});

test('URLs lose user info and secret query parameters', () => {
  assert.equal(maskUrl('https://user:pw@example.com/path'), 'https://****@example.com/path');
  assert.equal(maskUrl('https://example.com/v1?api-key=zzz'), 'https://example.com/v1?api-key=****');
  assert.equal(maskUrl('http://127.0.0.1:4000/v1'), 'http://127.0.0.1:4000/v1');
});
