// `usage-based-routing-v2`: skip deployments that would exceed their per-minute rpm/tpm; lowest token usage wins.
import type { RandomSource } from '../random-source.js';
import type { RoutedDeployment } from '../routed-deployment.js';
import type { RoutingStrategy } from '../strategy.js';

export const usageBased: RoutingStrategy = {
  name: 'usage-based-routing-v2',
  pick(candidates: readonly RoutedDeployment[], count: number, random: RandomSource, estimatedTokens: number): RoutedDeployment | null {
    let best = Infinity;
    let ties = 0;
    let chosen: RoutedDeployment | null = null;
    for (let index = 0; index < count; index++) {
      const candidate = candidates[index]!;
      const state = candidate.state;
      const tokens = state.tokensUsed();
      if (!state.rpmAvailable(candidate.rpm) || tokens + estimatedTokens > candidate.tpm) continue;
      if (tokens < best) {
        best = tokens;
        ties = 1;
        chosen = candidate;
      } else if (tokens === best) {
        ties++;
        if (random() * ties < 1) chosen = candidate;
      }
    }
    return chosen;
  },
};
