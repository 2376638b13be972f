// The bundled price table (LiteLLM's cost-map format, a subset of its model_prices_and_context_window.json), read once.
import { readFileSync } from 'node:fs';

export interface ModelPrice {
  inputCostPerToken: number;
  outputCostPerToken: number;
  cacheReadCostPerToken: number;
  cacheCreationCostPerToken: number;
  /** The Batch API's prices (`input_cost_per_token_batches`, `output_cost_per_token_batches`); null when not listed. */
  inputCostPerTokenBatches: number | null;
  outputCostPerTokenBatches: number | null;
}

type CostMapEntry = Record<string, unknown>;

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** A cost-map entry (or a deployment's `litellm_params` / `model_info`) → a price; null without an input or output cost. */
export function priceOf(entry: CostMapEntry | undefined, fallback: ModelPrice | null = null): ModelPrice | null {
  if (entry === undefined) return fallback;
  const input = num(entry.input_cost_per_token);
  const output = num(entry.output_cost_per_token);
  const inputBatches = num(entry.input_cost_per_token_batches);
  const outputBatches = num(entry.output_cost_per_token_batches);
  if (input === null && output === null && inputBatches === null && outputBatches === null) return fallback;
  const inputCost = input ?? fallback?.inputCostPerToken ?? 0;
  return {
    inputCostPerToken: inputCost,
    outputCostPerToken: output ?? fallback?.outputCostPerToken ?? 0,
    cacheReadCostPerToken: num(entry.cache_read_input_token_cost) ?? fallback?.cacheReadCostPerToken ?? inputCost,
    cacheCreationCostPerToken: num(entry.cache_creation_input_token_cost) ?? fallback?.cacheCreationCostPerToken ?? inputCost,
    inputCostPerTokenBatches: inputBatches ?? fallback?.inputCostPerTokenBatches ?? null,
    outputCostPerTokenBatches: outputBatches ?? fallback?.outputCostPerTokenBatches ?? null,
  };
}

let table: ReadonlyMap<string, ModelPrice> | null = null;

export function priceTable(): ReadonlyMap<string, ModelPrice> {
  if (table !== null) return table;
  const raw = JSON.parse(readFileSync(new URL('./model-prices.json', import.meta.url), 'utf8')) as Record<string, CostMapEntry>;
  const out = new Map<string, ModelPrice>();
  for (const [name, entry] of Object.entries(raw)) {
    if (name === 'sample_spec') continue;
    const price = priceOf(entry);
    if (price !== null) out.set(name, price);
  }
  table = out;
  return out;
}
