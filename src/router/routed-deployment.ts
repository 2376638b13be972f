// A deployment as the router sees it: config facts compiled once (weight, price, window) plus its live state.
import type { Deployment } from '../config/deployment.js';
import type { DeploymentState } from './deployment-state.js';
import { lookupModelFacts } from './model-facts.js';

export interface RoutedDeployment {
  readonly deployment: Deployment;
  readonly state: DeploymentState;
  /** `order` priority tier, lower first; deployments without one form the last tier. */
  readonly order: number;
  readonly rpm: number;
  readonly tpm: number;
  readonly maxParallel: number;
  /** Price of one input plus one output token, for cost-based routing (0 when unknown). */
  readonly costPerToken: number;
  /** Input token limit for pre-call checks; 0 when unknown (never filtered). */
  readonly maxInputTokens: number;
  readonly tags: readonly string[];
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function routeDeployment(deployment: Deployment, state: DeploymentState): RoutedDeployment {
  const params = deployment.params;
  const info = deployment.modelInfo;
  const facts = lookupModelFacts(deployment.upstreamModel);
  const input = numberOr(params.input_cost_per_token, numberOr(info.input_cost_per_token, facts?.inputCost ?? 0));
  const output = numberOr(params.output_cost_per_token, numberOr(info.output_cost_per_token, facts?.outputCost ?? 0));
  return {
    deployment,
    state,
    order: numberOr(params.order, Number.MAX_SAFE_INTEGER),
    rpm: numberOr(params.rpm, Infinity),
    tpm: numberOr(params.tpm, Infinity),
    maxParallel: numberOr(params.max_parallel_requests, Infinity),
    costPerToken: input + output,
    maxInputTokens: numberOr(info.max_input_tokens, numberOr(info.max_tokens, facts?.maxInputTokens ?? 0)),
    tags: params.tags ?? [],
  };
}
