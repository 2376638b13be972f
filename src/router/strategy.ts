// The one interface every routing strategy implements; the router calls it with the eligible candidates only.
import type { RandomSource } from './random-source.js';
import type { RoutedDeployment } from './routed-deployment.js';

export interface RoutingStrategy {
  readonly name: string;
  /**
   * Picks one of `candidates[0..count)` (already filtered for cooldown, tags, order tier and pre-call checks).
   * Returns null only when the strategy itself rules every candidate out (usage-based over rpm/tpm).
   * Must not allocate beyond the result.
   */
  pick(candidates: readonly RoutedDeployment[], count: number, random: RandomSource, estimatedTokens: number): RoutedDeployment | null;
}

/** Uniform pick among the candidates whose score equals the best (ties broken at random, allocation-free). */
export function pickLowest(candidates: readonly RoutedDeployment[], count: number, random: RandomSource, score: (candidate: RoutedDeployment) => number): RoutedDeployment | null {
  let best = Infinity;
  let ties = 0;
  let chosen: RoutedDeployment | null = null;
  for (let index = 0; index < count; index++) {
    const candidate = candidates[index]!;
    const value = score(candidate);
    if (value < best) {
      best = value;
      ties = 1;
      chosen = candidate;
    } else if (value === best) {
      // Reservoir sampling: each tied candidate ends up chosen with probability 1/ties.
      ties++;
      if (random() * ties < 1) chosen = candidate;
    }
  }
  return chosen;
}
