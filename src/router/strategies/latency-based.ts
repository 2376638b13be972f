// `latency-based-routing`: lowest rolling latency (time to first token for streams), with LiteLLM's buffer.
import type { RandomSource } from '../random-source.js';
import type { RoutedDeployment } from '../routed-deployment.js';
import type { RoutingStrategy } from '../strategy.js';

/**
 * Deployments with no samples yet score 0 so each gets tried; then any deployment within
 * `lowest * (1 + buffer)` is picked uniformly (LiteLLM's `lowest_latency_buffer`, default 0).
 */
export function latencyBased(buffer: number): RoutingStrategy {
  return {
    name: 'latency-based-routing',
    pick(candidates: readonly RoutedDeployment[], count: number, random: RandomSource): RoutedDeployment | null {
      if (count === 0) return null;
      let lowest = Infinity;
      for (let index = 0; index < count; index++) {
        const state = candidates[index]!.state;
        const latency = state.hasLatency ? state.latencyMs() : 0;
        if (latency < lowest) lowest = latency;
      }
      const limit = lowest * (1 + buffer);
      let seen = 0;
      let chosen: RoutedDeployment | null = null;
      for (let index = 0; index < count; index++) {
        const candidate = candidates[index]!;
        const latency = candidate.state.hasLatency ? candidate.state.latencyMs() : 0;
        if (latency > limit) continue;
        seen++;
        if (random() * seen < 1) chosen = candidate;
      }
      return chosen;
    },
  };
}
