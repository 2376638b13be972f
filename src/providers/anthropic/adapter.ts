// Anthropic Messages API: `x-api-key` + `anthropic-version`, api_base is the origin and Sluice appends /v1/messages.
import { invalidRequest, type GatewayError } from '../../core/errors.js';
import { splitApiBase } from '../../core/base-url.js';
import type { JsonObject } from '../../core/json.js';
import type { Operation } from '../../core/operation.js';
import type { DeploymentTarget, PreparedTarget, ProviderAdapter, StreamTranslator, TranslationContext, UpstreamRequest } from '../../core/provider-contract.js';
import { mapAnthropicError } from './map-error.js';
import { mapChatRequest } from './map-request.js';
import { parseMessage } from './map-response.js';
import { AnthropicStreamTranslator } from './stream-translator.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export class AnthropicAdapter implements ProviderAdapter {
  readonly id = 'anthropic';

  prepare(target: DeploymentTarget): PreparedTarget {
    const { origin, basePath } = splitApiBase(target.apiBase);
    // Users sometimes paste `https://api.anthropic.com/v1`; the messages path is appended to the origin either way.
    const root = basePath.endsWith('/v1') ? basePath.slice(0, -3) : basePath;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'anthropic-version': ANTHROPIC_VERSION };
    if (target.apiKey !== null && target.apiKey !== '') headers['x-api-key'] = target.apiKey;
    return { origin, basePath: root, query: '', headers: { ...headers, ...target.extraHeaders }, target };
  }

  buildRequest(operation: Operation, body: JsonObject, prepared: PreparedTarget): UpstreamRequest {
    if (operation !== 'chat') throw invalidRequest(`Anthropic does not support the ${operation} endpoint; use /v1/chat/completions.`, 'model');
    return { origin: prepared.origin, path: `${prepared.basePath}/v1/messages`, method: 'POST', headers: prepared.headers as Record<string, string>, body: JSON.stringify(mapChatRequest(body)) };
  }

  mapError(status: number, bodyText: string, headers: Readonly<Record<string, string | string[] | undefined>>): GatewayError {
    return mapAnthropicError(status, bodyText, headers);
  }

  parseResponse(_operation: Operation, body: Buffer, ctx: TranslationContext): JsonObject {
    return parseMessage(body, ctx);
  }

  createStreamTranslator(_operation: Operation, ctx: TranslationContext): StreamTranslator {
    return new AnthropicStreamTranslator(ctx);
  }
}
