// Gemini (AI Studio, `x-goog-api-key`) and Vertex AI (OAuth bearer) adapters: same transforms, different URL and auth.
import { GatewayError, invalidRequest } from '../../core/errors.js';
import { splitApiBase } from '../../core/base-url.js';
import type { JsonObject } from '../../core/json.js';
import type { Operation } from '../../core/operation.js';
import type { DeploymentTarget, PreparedTarget, ProviderAdapter, StreamTranslator, TranslationContext, UpstreamRequest } from '../../core/provider-contract.js';
import { mapGeminiError } from './map-error.js';
import { mapChatRequest, mapEmbeddingRequest } from './map-request.js';
import { parseEmbedResponse, parseGenerateResponse } from './map-response.js';
import { GeminiStreamTranslator } from './stream-translator.js';
import { loadServiceAccount } from './vertex-credentials.js';
import { VertexTokenSource } from './vertex-token-source.js';

type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

abstract class GoogleAdapter implements ProviderAdapter {
  abstract readonly id: string;
  abstract prepare(target: DeploymentTarget): PreparedTarget;

  buildRequest(operation: Operation, body: JsonObject, prepared: PreparedTarget): UpstreamRequest {
    const model = prepared.target.upstreamModel;
    let path: string;
    let upstreamBody: JsonObject;
    if (operation === 'chat') {
      path = body.stream === true ? ':streamGenerateContent?alt=sse' : ':generateContent';
      upstreamBody = mapChatRequest(body);
    } else if (operation === 'embedding') {
      path = ':batchEmbedContents';
      upstreamBody = mapEmbeddingRequest(body, model);
    } else throw invalidRequest(`Gemini does not support the ${operation} endpoint; use /v1/chat/completions.`, 'model');
    return { origin: prepared.origin, path: prepared.basePath + path, method: 'POST', headers: { ...prepared.headers }, body: JSON.stringify(upstreamBody) };
  }

  mapError(status: number, bodyText: string, headers: HeaderBag): GatewayError {
    return mapGeminiError(status, bodyText, headers);
  }

  parseResponse(operation: Operation, body: Buffer, ctx: TranslationContext): JsonObject {
    return operation === 'embedding' ? parseEmbedResponse(body, ctx) : parseGenerateResponse(body, ctx);
  }

  createStreamTranslator(_operation: Operation, ctx: TranslationContext): StreamTranslator {
    return new GeminiStreamTranslator(ctx);
  }
}

/** Google AI Studio: api_base is the origin; Sluice appends /v1beta/models/{model}:{method}. */
export class GeminiAdapter extends GoogleAdapter {
  readonly id = 'gemini';

  prepare(target: DeploymentTarget): PreparedTarget {
    const { origin, basePath } = splitApiBase(target.apiBase);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (target.apiKey !== null && target.apiKey !== '') headers['x-goog-api-key'] = target.apiKey;
    const modelPath = `${basePath}/v1beta/models/${encodeURIComponent(target.upstreamModel)}`;
    return { origin, basePath: modelPath, query: '', headers: { ...headers, ...target.extraHeaders }, target };
  }
}

export const VERTEX_BASE_TEMPLATE = 'https://{location}-aiplatform.googleapis.com';

/** Vertex AI: project/location URL, bearer token from a service account (or a static token given as api_key). */
export class VertexAdapter extends GoogleAdapter {
  readonly id = 'vertex_ai';
  private readonly tokens = new WeakMap<PreparedTarget, VertexTokenSource>();

  prepare(target: DeploymentTarget): PreparedTarget {
    const params = target.providerParams ?? {};
    const location = params.vertex_location ?? 'us-central1';
    const project = params.vertex_project;
    if (project === undefined) throw new Error('vertex_project (or VERTEXAI_PROJECT) is required for vertex_ai models');
    const apiBase = target.apiBase === VERTEX_BASE_TEMPLATE
      ? (location === 'global' ? 'https://aiplatform.googleapis.com' : `https://${location}-aiplatform.googleapis.com`)
      : target.apiBase;
    const { origin, basePath } = splitApiBase(apiBase);
    const modelPath = `${basePath}/v1/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}/publishers/google/models/${encodeURIComponent(target.upstreamModel)}`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const credentials = params.vertex_credentials;
    if (credentials === undefined && target.apiKey !== null && target.apiKey !== '') headers.authorization = `Bearer ${target.apiKey}`;
    const prepared: PreparedTarget = { origin, basePath: modelPath, query: '', headers: { ...headers, ...target.extraHeaders }, target };
    if (credentials !== undefined) this.tokens.set(prepared, new VertexTokenSource(loadServiceAccount(credentials)));
    return prepared;
  }

  authorize(request: UpstreamRequest, prepared: PreparedTarget): Promise<void> | undefined {
    const source = this.tokens.get(prepared);
    if (source !== undefined) return source.authorize(request.headers);
    if (request.headers.authorization !== undefined) return undefined;
    return Promise.reject(new GatewayError({ reason: 'auth', status: 401, type: 'auth_error', message: 'No Vertex AI credentials: set vertex_credentials or GOOGLE_APPLICATION_CREDENTIALS.' }));
  }
}
