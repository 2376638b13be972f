// Builds real deployments and routed candidates for router unit tests and benchmarks (no network involved).
import { buildDeployment, type Deployment } from '../config/deployment.js';
import type { LitellmParams } from '../config/schema.js';
import { DeploymentStates } from './deployment-state.js';
import { routeDeployment, type RoutedDeployment } from './routed-deployment.js';

export function testDeployment(index: number, params: Partial<LitellmParams> = {}, modelInfo: Record<string, unknown> = {}): Deployment {
  const entry = {
    model_name: 'group',
    litellm_params: { model: 'openai/gpt-4o', api_base: `http://127.0.0.1:9/d${index}/v1`, api_key: 'k', ...params },
    model_info: { id: `d${index}`, ...modelInfo },
  };
  const deployment = buildDeployment(entry, `model_list[${index}]`, { timeoutSeconds: 600, streamTimeoutSeconds: undefined, dropParams: false, env: {} }, []);
  if (deployment === null) throw new Error('bad test deployment');
  return deployment;
}

export function testCandidates(count: number, params: (index: number) => Partial<LitellmParams> = () => ({})): RoutedDeployment[] {
  const states = new DeploymentStates();
  const out: RoutedDeployment[] = [];
  for (let index = 0; index < count; index++) {
    const deployment = testDeployment(index, params(index));
    out.push(routeDeployment(deployment, states.get(deployment.id)));
  }
  return out;
}
