// The cost of one request: usage × the deployment's price (its own override, its base_model, or the bundled table).
import type { Deployment } from '../config/deployment.js';
import type { Usage } from '../core/usage.js';
import { priceOf, priceTable, type ModelPrice } from './price-table.js';

const prices = new WeakMap<Deployment, ModelPrice | null>();

function lookUp(names: readonly string[]): ModelPrice | null {
  const table = priceTable();
  for (const name of names) {
    const price = table.get(name);
    if (price !== undefined) return price;
  }
  return null;
}

/** Resolved once per deployment (wildcard deployments are built once per model name too). */
export function deploymentPrice(deployment: Deployment): ModelPrice | null {
  const cached = prices.get(deployment);
  if (cached !== undefined) return cached;
  const info = deployment.modelInfo;
  const baseModel = typeof info.base_model === 'string' ? info.base_model : null;
  const model = deployment.upstreamModel;
  const provider = deployment.provider;
  const names = [...(baseModel === null ? [] : [baseModel, `${provider}/${baseModel}`]), `${provider}/${model}`, model, deployment.params.model];
  const fromTable = lookUp(names);
  const price = priceOf(deployment.params as Record<string, unknown>, priceOf(info as Record<string, unknown>, fromTable));
  prices.set(deployment, price);
  return price;
}

/** USD; cached prompt tokens are billed at the cache-read price, the rest of the prompt at the input price. */
export function costOf(price: ModelPrice | null, usage: Usage | null): number {
  if (price === null || usage === null) return 0;
  const cached = Math.min(usage.cachedPromptTokens, usage.promptTokens);
  const plainPrompt = usage.promptTokens - cached;
  return (
    plainPrompt * price.inputCostPerToken +
    cached * price.cacheReadCostPerToken +
    usage.cacheCreationTokens * price.cacheCreationCostPerToken +
    usage.completionTokens * price.outputCostPerToken
  );
}

export function requestCost(deployment: Deployment | null, usage: Usage | null): number {
  return deployment === null ? 0 : costOf(deploymentPrice(deployment), usage);
}

/** OpenAI's and Azure's Batch API bills half the synchronous price; other providers' batch prices must be listed. */
const BATCH_DISCOUNT: Readonly<Record<string, number>> = { openai: 0.5, azure: 0.5 };

/**
 * USD for a completed batch's usage on `deployment`: the price table's `*_cost_per_token_batches` when listed (the
 * deployment's own `litellm_params` / `model_info` first, as for every price), otherwise the normal per-token price
 * with the provider's batch discount (50% for OpenAI and Azure, none for others).
 */
export function batchCost(deployment: Deployment, usage: Usage): number {
  const price = deploymentPrice(deployment);
  if (price === null) return 0;
  const discount = BATCH_DISCOUNT[deployment.provider] ?? 1;
  const input = price.inputCostPerTokenBatches ?? price.inputCostPerToken * discount;
  const output = price.outputCostPerTokenBatches ?? price.outputCostPerToken * discount;
  return usage.promptTokens * input + usage.completionTokens * output;
}
