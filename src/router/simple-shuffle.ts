// Picks a deployment at random, weighted by `weight`, else `rpm`, else `tpm` (LiteLLM's default strategy).
import type { Deployment } from '../config/deployment.js';

function weightOf(deployment: Deployment, field: 'weight' | 'rpm' | 'tpm'): number {
  return deployment.params[field] ?? 0;
}

function weightField(deployments: readonly Deployment[]): 'weight' | 'rpm' | 'tpm' | null {
  for (const field of ['weight', 'rpm', 'tpm'] as const) {
    if (deployments.some((deployment) => weightOf(deployment, field) > 0)) return field;
  }
  return null;
}

export function simpleShuffle(deployments: readonly Deployment[], random: () => number = Math.random): Deployment {
  if (deployments.length === 1) return deployments[0]!;
  const field = weightField(deployments);
  if (field === null) return deployments[Math.floor(random() * deployments.length)]!;
  let total = 0;
  for (const deployment of deployments) total += weightOf(deployment, field);
  let point = random() * total;
  for (const deployment of deployments) {
    point -= weightOf(deployment, field);
    if (point < 0) return deployment;
  }
  return deployments[deployments.length - 1]!;
}
