// A small bundled table of context windows and prices for common models, used when model_info does not say.

export interface ModelFacts {
  readonly maxInputTokens: number;
  /** USD per token. */
  readonly inputCost: number;
  readonly outputCost: number;
}

const M = 1e-6;

/** Keys are matched as prefixes of the upstream model name, longest first. */
const TABLE: ReadonlyArray<readonly [string, ModelFacts]> = [
  ['gpt-4o-mini', { maxInputTokens: 128_000, inputCost: 0.15 * M, outputCost: 0.6 * M }],
  ['gpt-4o', { maxInputTokens: 128_000, inputCost: 2.5 * M, outputCost: 10 * M }],
  ['gpt-4.1-nano', { maxInputTokens: 1_047_576, inputCost: 0.1 * M, outputCost: 0.4 * M }],
  ['gpt-4.1-mini', { maxInputTokens: 1_047_576, inputCost: 0.4 * M, outputCost: 1.6 * M }],
  ['gpt-4.1', { maxInputTokens: 1_047_576, inputCost: 2 * M, outputCost: 8 * M }],
  ['gpt-4-turbo', { maxInputTokens: 128_000, inputCost: 10 * M, outputCost: 30 * M }],
  ['gpt-4', { maxInputTokens: 8_192, inputCost: 30 * M, outputCost: 60 * M }],
  ['gpt-3.5-turbo', { maxInputTokens: 16_385, inputCost: 0.5 * M, outputCost: 1.5 * M }],
  ['gpt-5-mini', { maxInputTokens: 272_000, inputCost: 0.25 * M, outputCost: 2 * M }],
  ['gpt-5', { maxInputTokens: 272_000, inputCost: 1.25 * M, outputCost: 10 * M }],
  ['o3-mini', { maxInputTokens: 200_000, inputCost: 1.1 * M, outputCost: 4.4 * M }],
  ['o3', { maxInputTokens: 200_000, inputCost: 2 * M, outputCost: 8 * M }],
  ['claude-3-5-haiku', { maxInputTokens: 200_000, inputCost: 0.8 * M, outputCost: 4 * M }],
  ['claude-3-5-sonnet', { maxInputTokens: 200_000, inputCost: 3 * M, outputCost: 15 * M }],
  ['claude-sonnet-4', { maxInputTokens: 200_000, inputCost: 3 * M, outputCost: 15 * M }],
  ['claude-opus-4', { maxInputTokens: 200_000, inputCost: 15 * M, outputCost: 75 * M }],
  ['claude-haiku-4', { maxInputTokens: 200_000, inputCost: 1 * M, outputCost: 5 * M }],
  ['gemini-2.5-flash', { maxInputTokens: 1_048_576, inputCost: 0.3 * M, outputCost: 2.5 * M }],
  ['gemini-2.5-pro', { maxInputTokens: 1_048_576, inputCost: 1.25 * M, outputCost: 10 * M }],
  ['gemini-2.0-flash', { maxInputTokens: 1_048_576, inputCost: 0.1 * M, outputCost: 0.4 * M }],
];

const SORTED = [...TABLE].sort((a, b) => b[0].length - a[0].length);

export function lookupModelFacts(upstreamModel: string): ModelFacts | null {
  const slash = upstreamModel.lastIndexOf('/');
  const name = slash === -1 ? upstreamModel : upstreamModel.slice(slash + 1);
  for (const [prefix, facts] of SORTED) if (name.startsWith(prefix)) return facts;
  return null;
}
