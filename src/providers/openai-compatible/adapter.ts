// The one adapter for every OpenAI-compatible vendor: the body is forwarded as-is, only URL and auth differ.
import { splitApiBase } from '../../core/base-url.js';
import type { JsonObject } from '../../core/json.js';
import type { Operation } from '../../core/operation.js';
import type { DeploymentTarget, PreparedTarget, ProviderAdapter, UpstreamRequest } from '../../core/provider-contract.js';
import type { AuthStyle } from './catalog.js';
import { mapOpenAIError } from './map-error.js';

export const OPENAI_ENDPOINT: Readonly<Record<Operation, string>> = {
  chat: '/chat/completions',
  completion: '/completions',
  embedding: '/embeddings',
};

export function authHeaders(style: AuthStyle, apiKey: string | null): Record<string, string> {
  if (apiKey === null || apiKey === '' || style === 'none') return {};
  return style === 'api-key-header' ? { 'api-key': apiKey } : { authorization: `Bearer ${apiKey}` };
}

export class OpenAICompatibleAdapter implements ProviderAdapter {
  readonly id: string;
  readonly sendsBodyAsJson = true;
  private readonly auth: AuthStyle;

  constructor(id: string, auth: AuthStyle) {
    this.id = id;
    this.auth = auth;
  }

  prepare(target: DeploymentTarget): PreparedTarget {
    const { origin, basePath } = splitApiBase(target.apiBase);
    return {
      origin,
      basePath,
      query: '',
      headers: { 'content-type': 'application/json', ...authHeaders(this.auth, target.apiKey), ...target.extraHeaders },
      target,
    };
  }

  buildRequest(operation: Operation, body: JsonObject, prepared: PreparedTarget, encodedBody?: Buffer): UpstreamRequest {
    return {
      origin: prepared.origin,
      path: prepared.basePath + OPENAI_ENDPOINT[operation] + prepared.query,
      method: 'POST',
      headers: prepared.headers as Record<string, string>,
      body: encodedBody ?? JSON.stringify(body),
    };
  }

  mapError = mapOpenAIError;
}
