// Azure OpenAI: OpenAI's wire format under per-deployment URLs, an `api-version` query and the `api-key` header.
import { splitApiBase } from '../../core/base-url.js';
import type { JsonObject } from '../../core/json.js';
import type { Operation } from '../../core/operation.js';
import type { DeploymentTarget, PreparedTarget, ProviderAdapter, UpstreamRequest } from '../../core/provider-contract.js';
import { OPENAI_ENDPOINT } from '../openai-compatible/adapter.js';
import { mapOpenAIError } from '../openai-compatible/map-error.js';

/** LiteLLM's default when neither `api_version` nor `AZURE_API_VERSION` is set. */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

export class AzureAdapter implements ProviderAdapter {
  readonly id = 'azure';

  prepare(target: DeploymentTarget): PreparedTarget {
    const { origin, basePath } = splitApiBase(target.apiBase);
    // Users paste either the resource origin or `…/openai`; both address the same deployments.
    const root = basePath.endsWith('/openai') ? basePath.slice(0, -'/openai'.length) : basePath;
    const deploymentPath = `${root}/openai/deployments/${encodeURIComponent(target.upstreamModel)}`;
    const auth: Record<string, string> =
      target.apiKey !== null && target.apiKey !== '' ? { 'api-key': target.apiKey } : {};
    return {
      origin,
      basePath: deploymentPath,
      headers: { 'content-type': 'application/json', ...auth, ...target.extraHeaders },
      target,
      query: `?api-version=${encodeURIComponent(target.apiVersion ?? DEFAULT_AZURE_API_VERSION)}`,
    };
  }

  buildRequest(operation: Operation, body: JsonObject, prepared: PreparedTarget): UpstreamRequest {
    return {
      origin: prepared.origin,
      path: prepared.basePath + OPENAI_ENDPOINT[operation] + prepared.query,
      method: 'POST',
      headers: prepared.headers as Record<string, string>,
      body: JSON.stringify(body),
    };
  }

  mapError = mapOpenAIError;
}
