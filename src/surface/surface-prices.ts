// Prices for the non-token routes (per image, per second of audio, per rerank search unit, per character of speech).
// A small built-in table keyed by provider model name; `setSurfacePriceLookup` lets the spend engine's price table
// (model_prices_and_context_window) replace it at start-up. Deployment `model_info` / `litellm_params` costs win.

export interface SurfacePrice {
  /** Per image, by `{size}` or `{quality}/{size}` (e.g. `hd/1024x1024`); `default` when neither matches. */
  outputCostPerImage?: Readonly<Record<string, number>>;
  /** Transcription / translation, per second of input audio. */
  inputCostPerSecond?: number;
  /** Speech, per input character. */
  inputCostPerCharacter?: number;
  /** Rerank, per search unit (Cohere, Bedrock: one query over up to 100 documents). */
  inputCostPerQuery?: number;
  /** Rerank billed by tokens (Jina, Voyage). */
  inputCostPerToken?: number;
}

const BUILT_IN: ReadonlyMap<string, SurfacePrice> = new Map<string, SurfacePrice>([
  ['dall-e-3', { outputCostPerImage: { '1024x1024': 0.04, '1024x1792': 0.08, '1792x1024': 0.08, 'hd/1024x1024': 0.08, 'hd/1024x1792': 0.12, 'hd/1792x1024': 0.12, default: 0.04 } }],
  ['dall-e-2', { outputCostPerImage: { '256x256': 0.016, '512x512': 0.018, '1024x1024': 0.02, default: 0.02 } }],
  ['gpt-image-1', { outputCostPerImage: { 'low/1024x1024': 0.011, 'medium/1024x1024': 0.042, 'high/1024x1024': 0.167, default: 0.042 } }],
  ['whisper-1', { inputCostPerSecond: 0.0001 }],
  ['gpt-4o-transcribe', { inputCostPerSecond: 0.0001 }],
  ['gpt-4o-mini-transcribe', { inputCostPerSecond: 0.00005 }],
  ['tts-1', { inputCostPerCharacter: 0.000015 }],
  ['tts-1-hd', { inputCostPerCharacter: 0.00003 }],
  ['omni-moderation-latest', {}],
  ['rerank-v3.5', { inputCostPerQuery: 0.002 }],
  ['rerank-english-v3.0', { inputCostPerQuery: 0.002 }],
  ['rerank-multilingual-v3.0', { inputCostPerQuery: 0.002 }],
  ['amazon.rerank-v1:0', { inputCostPerQuery: 0.001 }],
  ['cohere.rerank-v3-5:0', { inputCostPerQuery: 0.002 }],
  ['jina-reranker-v2-base-multilingual', { inputCostPerToken: 0.000000018 }],
  ['rerank-2', { inputCostPerToken: 0.00000005 }],
  ['rerank-2-lite', { inputCostPerToken: 0.00000002 }],
]);

export type SurfacePriceLookup = (model: string) => SurfacePrice | undefined;

let lookup: SurfacePriceLookup = (model) => BUILT_IN.get(model);

/** The hook for the governance price table: called once at start-up, before the gateway is built. */
export function setSurfacePriceLookup(next: SurfacePriceLookup): void {
  lookup = next;
}

/** Config costs (`model_info` / `litellm_params`: output_cost_per_image, input_cost_per_second, …) over the table. */
export function surfacePriceOf(model: string, config: Readonly<Record<string, unknown>>): SurfacePrice {
  const base = lookup(model) ?? {};
  const perImage = numberOf(config.output_cost_per_image);
  const perSecond = numberOf(config.input_cost_per_second);
  const perQuery = numberOf(config.input_cost_per_query);
  const perToken = numberOf(config.input_cost_per_token);
  return {
    ...base,
    ...(perImage !== undefined ? { outputCostPerImage: { default: perImage } } : {}),
    ...(perSecond !== undefined ? { inputCostPerSecond: perSecond } : {}),
    ...(perQuery !== undefined ? { inputCostPerQuery: perQuery } : {}),
    ...(perToken !== undefined ? { inputCostPerToken: perToken } : {}),
  };
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Image price for a request's size and quality; the size alone, then `default`, when the variant is not listed. */
export function imagePrice(price: SurfacePrice, size: string, quality: string): number | undefined {
  const table = price.outputCostPerImage;
  if (table === undefined) return undefined;
  return table[`${quality}/${size}`] ?? table[size] ?? table.default;
}
