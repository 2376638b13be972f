// Bodies that only change with the config (`/v1/models`, `/model/info`), serialised once per snapshot.
import type { Deployment } from '../config/deployment.js';
import type { RuntimeSnapshot } from '../config/snapshot.js';
import { inferMode, modeOf } from '../surface/model-mode.js';

/** `litellm_params` keys never shown by `/model/info`. */
const SECRET_PARAMS: ReadonlySet<string> = new Set([
  'api_key', 'aws_secret_access_key', 'aws_session_token', 'aws_access_key_id', 'vertex_credentials', 'azure_ad_token',
  'client_secret', 'azure_password', 'extra_headers', 'headers',
]);

function publicParams(deployment: Deployment): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(deployment.params)) if (!SECRET_PARAMS.has(key)) out[key] = value;
  return out;
}

export function modelsListBody(snapshot: RuntimeSnapshot, createdAt: number): string {
  const data = snapshot.publicModelNames.map((id) => {
    const first = snapshot.groups.get(id)?.deployments[0];
    return { id, object: 'model', created: createdAt, owned_by: 'openai', mode: first !== undefined ? modeOf(first) : inferMode(id) };
  });
  return JSON.stringify({ object: 'list', data });
}

export function modelInfoBody(snapshot: RuntimeSnapshot): string {
  const data: unknown[] = [];
  const seen = new Set<Deployment>();
  for (const group of snapshot.groups.values()) {
    for (const deployment of group.deployments) {
      if (seen.has(deployment)) continue;
      seen.add(deployment);
      data.push({
        model_name: deployment.modelGroup,
        litellm_params: publicParams(deployment),
        model_info: { ...deployment.modelInfo, mode: modeOf(deployment), id: deployment.id, db_model: false, litellm_provider: deployment.provider },
      });
    }
  }
  for (const route of snapshot.wildcardRoutes) {
    for (const entry of route.entries) {
      const params: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(entry.litellm_params)) if (!SECRET_PARAMS.has(key)) params[key] = value;
      data.push({ model_name: entry.model_name, litellm_params: params, model_info: { ...entry.model_info, mode: typeof entry.model_info?.mode === 'string' ? entry.model_info.mode : inferMode(entry.litellm_params.model), db_model: false } });
    }
  }
  return JSON.stringify({ data });
}
