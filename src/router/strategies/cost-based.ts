// `cost-based-routing`: the cheapest deployment per token (litellm_params / model_info costs, else the bundled table).
import type { RandomSource } from '../random-source.js';
import type { RoutedDeployment } from '../routed-deployment.js';
import { pickLowest, type RoutingStrategy } from '../strategy.js';

function cost(candidate: RoutedDeployment): number {
  return candidate.costPerToken;
}

export const costBased: RoutingStrategy = {
  name: 'cost-based-routing',
  pick(candidates: readonly RoutedDeployment[], count: number, random: RandomSource): RoutedDeployment | null {
    return pickLowest(candidates, count, random, cost);
  },
};
