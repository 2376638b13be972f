// Native Ollama (`ollama/…`, `ollama_chat/…`): /api/chat with NDJSON streaming and /api/embed; api_base is the origin.
import { invalidRequest, type GatewayError } from '../../core/errors.js';
import { splitApiBase } from '../../core/base-url.js';
import type { JsonObject } from '../../core/json.js';
import type { Operation } from '../../core/operation.js';
import type { DeploymentTarget, PreparedTarget, ProviderAdapter, StreamTranslator, TranslationContext, UpstreamRequest } from '../../core/provider-contract.js';
import { mapOllamaError } from './map-error.js';
import { mapChatRequest, mapEmbedRequest } from './map-request.js';
import { parseChatResponse, parseEmbedResponse } from './map-response.js';
import { OllamaStreamTranslator } from './stream-translator.js';

export class OllamaAdapter implements ProviderAdapter {
  readonly id: string;

  constructor(id: string) {
    this.id = id;
  }

  prepare(target: DeploymentTarget): PreparedTarget {
    const { origin, basePath } = splitApiBase(target.apiBase);
    // An OpenAI-style `http://host:11434/v1` base still reaches the native API at the origin.
    const root = basePath.endsWith('/v1') ? basePath.slice(0, -3) : basePath;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (target.apiKey !== null && target.apiKey !== '') headers.authorization = `Bearer ${target.apiKey}`;
    return { origin, basePath: root, query: '', headers: { ...headers, ...target.extraHeaders }, target };
  }

  buildRequest(operation: Operation, body: JsonObject, prepared: PreparedTarget): UpstreamRequest {
    let path: string;
    let upstreamBody: JsonObject;
    if (operation === 'chat') {
      path = '/api/chat';
      upstreamBody = mapChatRequest(body);
    } else if (operation === 'embedding') {
      path = '/api/embed';
      upstreamBody = mapEmbedRequest(body);
    } else throw invalidRequest(`Ollama's native API is served for chat and embeddings; ${operation} is not supported.`, 'model');
    return { origin: prepared.origin, path: prepared.basePath + path, method: 'POST', headers: prepared.headers as Record<string, string>, body: JSON.stringify(upstreamBody) };
  }

  mapError(status: number, bodyText: string, headers: Readonly<Record<string, string | string[] | undefined>>): GatewayError {
    return mapOllamaError(status, bodyText, headers);
  }

  parseResponse(operation: Operation, body: Buffer, ctx: TranslationContext): JsonObject {
    return operation === 'embedding' ? parseEmbedResponse(body, ctx) : parseChatResponse(body, ctx);
  }

  createStreamTranslator(_operation: Operation, ctx: TranslationContext): StreamTranslator {
    return new OllamaStreamTranslator(ctx);
  }
}
