// `simple-shuffle` (LiteLLM's default): random pick weighted by `weight`, else `rpm`, else `tpm`, else uniform.
import type { RandomSource } from '../random-source.js';
import type { RoutedDeployment } from '../routed-deployment.js';
import type { RoutingStrategy } from '../strategy.js';

function weightOf(candidate: RoutedDeployment, field: 0 | 1 | 2): number {
  const params = candidate.deployment.params;
  const value = field === 0 ? params.weight : field === 1 ? params.rpm : params.tpm;
  return value ?? 0;
}

function weightField(candidates: readonly RoutedDeployment[], count: number): 0 | 1 | 2 | -1 {
  for (const field of [0, 1, 2] as const) {
    for (let index = 0; index < count; index++) if (weightOf(candidates[index]!, field) > 0) return field;
  }
  return -1;
}

export const simpleShuffle: RoutingStrategy = {
  name: 'simple-shuffle',
  pick(candidates: readonly RoutedDeployment[], count: number, random: RandomSource): RoutedDeployment | null {
    if (count === 0) return null;
    if (count === 1) return candidates[0]!;
    const field = weightField(candidates, count);
    if (field === -1) return candidates[Math.floor(random() * count)]!;
    let total = 0;
    for (let index = 0; index < count; index++) total += weightOf(candidates[index]!, field);
    let point = random() * total;
    for (let index = 0; index < count; index++) {
      point -= weightOf(candidates[index]!, field);
      if (point < 0) return candidates[index]!;
    }
    return candidates[count - 1]!;
  },
};
