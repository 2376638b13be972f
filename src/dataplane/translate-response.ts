// Glue between UpstreamExchange and a native adapter's translators: context per request, errors kept in the contract.
import { GatewayError } from '../core/errors.js';
import { isJsonObject } from '../core/json.js';
import type { ProviderAdapter, TranslationContext } from '../core/provider-contract.js';
import { usageFromOpenAI, type Usage } from '../core/usage.js';
import type { RequestContext } from './request-context.js';

export function translationContextOf(ctx: RequestContext): TranslationContext {
  const options = ctx.body?.stream_options;
  return {
    model: ctx.deployment?.upstreamModel ?? ctx.requestedModel ?? '',
    includeUsage: isJsonObject(options) && options.include_usage === true,
    created: Math.floor(Date.now() / 1000),
  };
}

/** A translator's own GatewayError passes; anything else (a bug on odd input) is a 502, never a crash. */
export function translatorFailure(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError({ reason: 'upstream', status: 502, message: 'Could not translate the provider response.', cause: error });
}

export interface TranslatedBody {
  body: string;
  usage: Usage | null;
  error: GatewayError | null;
}

export function translateBody(adapter: ProviderAdapter, ctx: RequestContext, upstreamBody: Buffer): TranslatedBody {
  try {
    const translated = adapter.parseResponse!(ctx.operation, upstreamBody, translationContextOf(ctx));
    return { body: JSON.stringify(translated), usage: usageFromOpenAI(translated.usage), error: null };
  } catch (error) {
    return { body: '', usage: null, error: translatorFailure(error) };
  }
}
