// POST /v1/messages and /v1/messages/count_tokens: Anthropic clients to any deployment, native to Anthropic ones.
import type { Deployment } from '../../config/deployment.js';
import { toGatewayError, type GatewayError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import type { RequestContext } from '../../dataplane/request-context.js';
import { failRequest } from '../../dataplane/request-context.js';
import type { InboundApi, InboundCall, UpstreamSender } from '../inbound-call.js';
import { sendLocalJson } from '../local-answer.js';
import { nativeBody } from '../native-body.js';
import { countInputTokens, encoder, encodingForModel } from './count-tokens.js';
import { AnthropicNativeTap } from './native-tap.js';
import { anthropicToChat } from './request-to-chat.js';
import { ChatToAnthropicRewriter } from './stream-translator.js';
import type { Tiktoken } from 'js-tiktoken/lite';

/** A deployment that speaks Anthropic's Messages API itself and is not answered by a mock. */
function speaksAnthropic(deployment: Deployment, body: JsonObject): boolean {
  return deployment.provider === 'anthropic' && deployment.prepared !== null && deployment.mockResponse === null && body.mock_response === undefined;
}

/** The client's beta flags (Claude Code sends several) travel with a native call; everything else is the deployment's. */
function nativeHeaders(ctx: RequestContext, base: Readonly<Record<string, string>>): Record<string, string> {
  const beta = ctx.req.headers['anthropic-beta'];
  if (beta === undefined) return base as Record<string, string>;
  return { ...base, 'anthropic-beta': Array.isArray(beta) ? beta.join(',') : beta };
}

/** Anthropic's own endpoint under the deployment's compiled origin, key and version headers (the native adapter's prepare). */
function forwardNative(ctx: RequestContext, deployment: Deployment, sender: UpstreamSender, body: JsonObject, endpoint: string): void {
  const prepared = deployment.prepared!;
  sender.sendUpstream(ctx, deployment, {
    origin: prepared.origin,
    path: prepared.basePath + endpoint,
    method: 'POST',
    headers: nativeHeaders(ctx, prepared.headers),
    body: nativeBody(body, deployment.upstreamModel),
  });
}

class MessagesCall implements InboundCall {
  native = false;
  private readonly body: JsonObject;
  /** The model name the client asked for, which translated answers echo. */
  private readonly model: string;
  /** Why a translated deployment cannot take this request (server tools, unknown blocks), if anything. */
  private readonly problem: GatewayError | null;

  constructor(body: JsonObject, problem: GatewayError | null) {
    this.body = body;
    this.model = body.model as string;
    this.problem = problem;
  }

  intercept(ctx: RequestContext, deployment: Deployment, sender: UpstreamSender): boolean {
    if (speaksAnthropic(deployment, this.body)) {
      this.native = true;
      ctx.rewriter = new AnthropicNativeTap();
      forwardNative(ctx, deployment, sender, this.body, '/v1/messages');
      return true;
    }
    if (this.problem !== null) throw this.problem;
    // Each attempt (the router may retry or fall back to another kind of deployment) gets a fresh translator.
    this.native = false;
    ctx.rewriter = new ChatToAnthropicRewriter(this.model);
    return false;
  }
}

class CountTokensCall implements InboundCall {
  native = false;
  private readonly body: JsonObject;
  private ctx: RequestContext | null = null;

  constructor(body: JsonObject) {
    this.body = body;
  }

  intercept(ctx: RequestContext, deployment: Deployment, sender: UpstreamSender): boolean {
    if (speaksAnthropic(deployment, this.body)) {
      this.native = true;
      // A token count is not a model call: no usage is read from it, so nothing is charged.
      ctx.rewriter = null;
      ctx.stream = false;
      forwardNative(ctx, deployment, sender, this.body, '/v1/messages/count_tokens');
      return true;
    }
    const tokenizer = encoder(encodingForModel(deployment.upstreamModel));
    if (tokenizer instanceof Promise) {
      this.ctx = ctx;
      tokenizer.then(this.answer.bind(this), this.fail.bind(this));
    } else this.answerNow(ctx, tokenizer);
    return true;
  }

  private answer(tokenizer: Tiktoken): void {
    this.answerNow(this.ctx!, tokenizer);
  }

  private fail(error: unknown): void {
    failRequest(this.ctx!, toGatewayError(error));
  }

  private answerNow(ctx: RequestContext, tokenizer: Tiktoken): void {
    sendLocalJson(ctx, `{"input_tokens":${countInputTokens(tokenizer, this.body)}}`);
  }
}

export const MESSAGES_API: InboundApi = {
  name: 'anthropic-messages',
  accept(ctx: RequestContext, body: JsonObject): JsonObject {
    const translated = anthropicToChat(body, true);
    ctx.inbound = new MessagesCall(body, translated.problem);
    return translated.chat;
  },
};

export const COUNT_TOKENS_API: InboundApi = {
  name: 'anthropic-count-tokens',
  accept(ctx: RequestContext, body: JsonObject): JsonObject {
    const translated = anthropicToChat(body, false);
    delete translated.chat.stream;
    delete translated.chat.stream_options;
    ctx.inbound = new CountTokensCall(body);
    ctx.rewriter = null;
    return translated.chat;
  },
};
