import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from './config-problem.js';
import { loadConfigFile, validateConfigObject } from './load-config.js';

function problemsOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

test('os.environ/NAME is read from the environment anywhere in the file', () => {
  const env = { MY_KEY: 'sk-123', MY_BASE: 'http://x/v1' };
  const { config } = validateConfigObject(
    { model_list: [{ model_name: 'a', litellm_params: { model: 'openai/gpt-4o', api_key: 'os.environ/MY_KEY', api_base: 'os.environ/MY_BASE' } }] },
    env,
  );
  assert.equal(config.model_list[0]!.litellm_params.api_key, 'sk-123');
  assert.equal(config.model_list[0]!.litellm_params.api_base, 'http://x/v1');
});

test('an unset os.environ variable is dropped and warned about, not fatal', () => {
  const { config, warnings } = validateConfigObject({ model_list: [{ model_name: 'a', litellm_params: { model: 'openai/gpt-4o', api_key: 'os.environ/NOT_SET_ANYWHERE' } }] }, {});
  assert.equal(config.model_list[0]!.litellm_params.api_key, undefined);
  assert.deepEqual(warnings, ['model_list[0].litellm_params.api_key: environment variable NOT_SET_ANYWHERE is not set']);
});

test('environment_variables are exported before os.environ references resolve', () => {
  const env: NodeJS.ProcessEnv = {};
  const { config } = validateConfigObject(
    { environment_variables: { PORTED: 'yes' }, general_settings: { master_key: 'os.environ/PORTED' } },
    env,
  );
  assert.equal(env.PORTED, 'yes');
  assert.equal(config.general_settings.master_key, 'yes');
});

test('a wrong type names the YAML path, the expectation and the value found', () => {
  const error = problemsOf(() => validateConfigObject({ model_list: [{ model_name: 'a', litellm_params: { model: 'openai/x' } }, { model_name: 'b', litellm_params: { model: 42 } }] }, {}));
  assert.equal(error.problems.length, 1);
  assert.deepEqual(error.problems[0], { path: 'model_list[1].litellm_params.model', expected: 'string', found: 'number 42' });
  assert.match(error.message, /model_list\[1\]\.litellm_params\.model: expected string, found number 42/);
});

test('every problem is reported, not only the first', () => {
  const error = problemsOf(() =>
    validateConfigObject({ model_list: [{ litellm_params: { model: 'openai/x' } }], router_settings: { routing_strategy: 'fastest', num_retries: -1 } }, {}),
  );
  const paths = error.problems.map((problem) => problem.path).sort();
  assert.deepEqual(paths, ['model_list[0].model_name', 'router_settings.num_retries', 'router_settings.routing_strategy']);
});

test('secrets are masked in problem reports', () => {
  const error = problemsOf(() => validateConfigObject({ general_settings: { master_key: 12345 } }, {}));
  assert.equal(error.problems[0]!.path, 'general_settings.master_key');
  assert.doesNotMatch(error.message, /12345/);
});

test('unknown keys are warned about once each; litellm_params stays open', () => {
  const { warnings } = validateConfigObject(
    { model_list: [{ model_name: 'a', litellm_params: { model: 'openai/x', top_k: 3 } }], general_settings: { shiny_feature: true }, surprise: 1 },
    {},
  );
  assert.deepEqual(warnings.sort(), ['general_settings.shiny_feature: unknown or unsupported key, ignored', 'surprise: unknown or unsupported key, ignored']);
});

test('include files append their model_list and merge their settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-config-'));
  writeFileSync(join(dir, 'models.yaml'), 'model_list:\n  - model_name: b\n    litellm_params:\n      model: openai/gpt-4o-mini\nrouter_settings:\n  num_retries: 4\n');
  writeFileSync(join(dir, 'config.yaml'), 'include:\n  - models.yaml\nmodel_list:\n  - model_name: a\n    litellm_params:\n      model: openai/gpt-4o\n');
  const { config } = loadConfigFile(join(dir, 'config.yaml'), {});
  assert.deepEqual(config.model_list.map((entry) => entry.model_name), ['a', 'b']);
  assert.equal(config.router_settings.num_retries, 4);
});

test('invalid YAML and missing files are config errors, not crashes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-config-'));
  writeFileSync(join(dir, 'bad.yaml'), 'model_list: [\n  - oops: : :\n');
  assert.match(problemsOf(() => loadConfigFile(join(dir, 'bad.yaml'), {})).message, /expected valid YAML/);
  assert.match(problemsOf(() => loadConfigFile(join(dir, 'absent.yaml'), {})).message, /ENOENT/);
});
