// `least-busy`: the deployment with the fewest requests in flight (across workers when shared state is on).
import type { RandomSource } from '../random-source.js';
import type { RoutedDeployment } from '../routed-deployment.js';
import { pickLowest, type RoutingStrategy } from '../strategy.js';

function inFlight(candidate: RoutedDeployment): number {
  return candidate.state.busy();
}

export const leastBusy: RoutingStrategy = {
  name: 'least-busy',
  pick(candidates: readonly RoutedDeployment[], count: number, random: RandomSource): RoutedDeployment | null {
    return pickLowest(candidates, count, random, inFlight);
  },
};
