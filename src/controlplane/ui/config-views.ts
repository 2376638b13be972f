// Read-only views of the running configuration for the Models and Settings screens, secrets masked.
import type { RuntimeSnapshot } from '../../config/snapshot.js';
import type { DeploymentRouterView } from '../../router/router-status.js';
import { maskSecrets, maskUrl } from './mask-secrets.js';
import type { DeploymentStats } from './model-stats.js';

/**
 * `GET /v2/model/info` (LiteLLM's path and shape): every deployment with its provider, masked api_base, last hour's
 * traffic from the spend log and, when the data plane could be asked (`router` null otherwise), its live routing state.
 */
export function deploymentsView(snapshot: RuntimeSnapshot, stats: ReadonlyMap<string, DeploymentStats>, live: ReadonlyMap<string, DeploymentRouterView> | null): unknown {
  const data = [];
  for (const group of snapshot.groups.values()) {
    for (const deployment of group.deployments) {
      data.push({
        model_name: group.name,
        litellm_params: maskSecrets({ ...deployment.params, model: `${deployment.provider}/${deployment.upstreamModel}` }),
        model_info: { ...(maskSecrets(deployment.modelInfo) as Record<string, unknown>), id: deployment.id },
        provider: deployment.provider,
        api_base: deployment.apiBase === '' ? null : maskUrl(deployment.apiBase),
        timeout_ms: deployment.timeoutMs,
        recent: stats.get(deployment.id) ?? { requests: 0, failures: 0, meanLatencyMs: null },
        router: live === null ? null : (live.get(deployment.id) ?? null),
      });
    }
  }
  for (const route of snapshot.wildcardRoutes) {
    for (const entry of route.entries) data.push({ model_name: entry.model_name, litellm_params: maskSecrets(entry.litellm_params), model_info: { wildcard: true }, provider: null, api_base: null, timeout_ms: null, recent: null, router: null });
  }
  return { data };
}

/** `GET /config/running`: the parsed config.yaml as the process runs it, every secret masked. */
export function configView(snapshot: RuntimeSnapshot): unknown {
  return maskSecrets(snapshot.config);
}
