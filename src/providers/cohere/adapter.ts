// Cohere v2: /v2/chat (SSE when streaming) and /v2/embed with a bearer key; api_base is the origin.
import { invalidRequest, type GatewayError } from '../../core/errors.js';
import { splitApiBase } from '../../core/base-url.js';
import type { JsonObject } from '../../core/json.js';
import type { Operation } from '../../core/operation.js';
import type { DeploymentTarget, PreparedTarget, ProviderAdapter, StreamTranslator, TranslationContext, UpstreamRequest } from '../../core/provider-contract.js';
import { mapCohereError } from './map-error.js';
import { mapChatRequest, mapEmbedRequest } from './map-request.js';
import { parseChatResponse, parseEmbedResponse } from './map-response.js';
import { CohereStreamTranslator } from './stream-translator.js';

export class CohereAdapter implements ProviderAdapter {
  readonly id = 'cohere';

  prepare(target: DeploymentTarget): PreparedTarget {
    const { origin, basePath } = splitApiBase(target.apiBase);
    const root = basePath.endsWith('/v2') || basePath.endsWith('/v1') ? basePath.slice(0, -3) : basePath;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (target.apiKey !== null && target.apiKey !== '') headers.authorization = `Bearer ${target.apiKey}`;
    return { origin, basePath: root, query: '', headers: { ...headers, ...target.extraHeaders }, target };
  }

  buildRequest(operation: Operation, body: JsonObject, prepared: PreparedTarget): UpstreamRequest {
    let path: string;
    let upstreamBody: JsonObject;
    if (operation === 'chat') {
      path = '/v2/chat';
      upstreamBody = mapChatRequest(body);
    } else if (operation === 'embedding') {
      path = '/v2/embed';
      upstreamBody = mapEmbedRequest(body);
    } else throw invalidRequest(`Cohere does not support the ${operation} endpoint; use /v1/chat/completions.`, 'model');
    return { origin: prepared.origin, path: prepared.basePath + path, method: 'POST', headers: prepared.headers as Record<string, string>, body: JSON.stringify(upstreamBody) };
  }

  mapError(status: number, bodyText: string, headers: Readonly<Record<string, string | string[] | undefined>>): GatewayError {
    return mapCohereError(status, bodyText, headers);
  }

  parseResponse(operation: Operation, body: Buffer, ctx: TranslationContext): JsonObject {
    return operation === 'embedding' ? parseEmbedResponse(body, ctx) : parseChatResponse(body, ctx);
  }

  createStreamTranslator(_operation: Operation, ctx: TranslationContext): StreamTranslator {
    return new CohereStreamTranslator(ctx);
  }
}
