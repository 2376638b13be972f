import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Deployment } from '../config/deployment.js';
import { batchCost, costOf, deploymentPrice } from './cost.js';
import { priceTable } from './price-table.js';

function deployment(provider: string, upstreamModel: string, params: Record<string, unknown> = {}, modelInfo: Record<string, unknown> = {}): Deployment {
  return { provider, upstreamModel, params: { model: `${provider}/${upstreamModel}`, ...params }, modelInfo } as unknown as Deployment;
}

const usage = { promptTokens: 1000, completionTokens: 100, totalTokens: 1100, cachedPromptTokens: 200, cacheCreationTokens: 0 };

test('the bundled table covers every supported provider', () => {
  const providers = new Set([...priceTable().keys()].map((name) => name.split('/')[0]));
  for (const prefix of ['azure', 'gemini', 'vertex_ai', 'mistral', 'groq', 'deepseek', 'xai', 'together_ai', 'fireworks_ai']) assert.ok(providers.has(prefix), prefix);
  for (const bare of ['gpt-4o', 'claude-sonnet-4-5', 'anthropic.claude-3-haiku-20240307-v1:0', 'command-r-plus']) assert.ok(priceTable().has(bare), bare);
});

test('prices: table rows by provider, cached tokens at the cache price, overrides and base_model', () => {
  const gpt4o = deploymentPrice(deployment('openai', 'gpt-4o'))!;
  assert.equal(gpt4o.inputCostPerToken, 2.5e-6);
  assert.ok(Math.abs(costOf(gpt4o, usage) - (800 * 2.5e-6 + 200 * 1.25e-6 + 100 * 1e-5)) < 1e-15);
  assert.equal(deploymentPrice(deployment('gemini', 'gemini-2.5-flash'))!.outputCostPerToken, 2.5e-6);
  assert.equal(deploymentPrice(deployment('azure', 'my-deployment', {}, { base_model: 'azure/gpt-4o' }))!.inputCostPerToken, 2.5e-6);
  const custom = deploymentPrice(deployment('openai', 'gpt-4o', { input_cost_per_token: 1, output_cost_per_token: 2 }))!;
  assert.equal(costOf(custom, { ...usage, cachedPromptTokens: 0 }), 1000 + 200);
  assert.equal(deploymentPrice(deployment('openai', 'unknown-model')), null);
  assert.equal(costOf(null, usage), 0);
});

test('batch prices: the table\'s *_batches fields, else half price on OpenAI and Azure, else the normal price', () => {
  const batch = { promptTokens: 1000, completionTokens: 100, totalTokens: 1100, cachedPromptTokens: 0, cacheCreationTokens: 0 };
  const near = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 1e-15, `${actual} != ${expected}`);
  near(batchCost(deployment('openai', 'gpt-4o-mini'), batch), 1000 * 7.5e-8 + 100 * 3e-7);
  near(batchCost(deployment('openai', 'gpt-4.1-mini'), batch), (1000 * 4e-7 + 100 * 1.6e-6) / 2);
  near(batchCost(deployment('azure', 'gpt-4.1-mini'), batch), (1000 * 4e-7 + 100 * 1.6e-6) / 2);
  near(batchCost(deployment('mistral', 'mistral-large-latest'), batch), costOf(deploymentPrice(deployment('mistral', 'mistral-large-latest')), batch));
  const listed = deployment('openai', 'gpt-4.1-mini', { input_cost_per_token_batches: 1e-7 });
  near(batchCost(listed, batch), 1000 * 1e-7 + 100 * 1.6e-6 / 2);
  assert.equal(batchCost(deployment('openai', 'unknown-model'), batch), 0);
});
