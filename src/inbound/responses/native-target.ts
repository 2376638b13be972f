// Where a natively forwarded Responses call goes: `/responses` under an OpenAI deployment's api_base, or Azure's
// resource-level `/openai/responses?api-version=…`.
import type { Deployment } from '../../config/deployment.js';

/** Azure's Responses API needs a 2025 preview version; older `api_version`s (the chat default) do not have it. */
export const AZURE_RESPONSES_API_VERSION = '2025-04-01-preview';

export interface ResponsesTarget {
  origin: string;
  path: string;
  headers: Readonly<Record<string, string>>;
}

/** Providers whose API has /responses itself. */
export function speaksResponses(deployment: Deployment): boolean {
  return (deployment.provider === 'openai' || deployment.provider === 'azure') && deployment.prepared !== null;
}

function azurePath(basePath: string, apiVersion: string | null): string {
  // The prepared base path is `{root}/openai/deployments/{name}`; the Responses API lives at the resource root.
  const at = basePath.lastIndexOf('/openai/deployments/');
  const root = at === -1 ? '' : basePath.slice(0, at);
  const version = apiVersion !== null && apiVersion >= '2025-03-01' ? apiVersion : AZURE_RESPONSES_API_VERSION;
  return `${root}/openai/responses?api-version=${encodeURIComponent(version)}`;
}

const compiled = new WeakMap<Deployment, ResponsesTarget>();

export function responsesTarget(deployment: Deployment): ResponsesTarget {
  let target = compiled.get(deployment);
  if (target === undefined) {
    const prepared = deployment.prepared!;
    const path = deployment.provider === 'azure' ? azurePath(prepared.basePath, prepared.target.apiVersion) : `${prepared.basePath}/responses${prepared.query}`;
    target = { origin: prepared.origin, path, headers: prepared.headers };
    compiled.set(deployment, target);
  }
  return target;
}
