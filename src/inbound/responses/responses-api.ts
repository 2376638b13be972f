// POST /v1/responses: the OpenAI Responses API to any deployment, forwarded natively to OpenAI and Azure ones.
import type { Deployment } from '../../config/deployment.js';
import type { GatewayError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import type { RequestContext } from '../../dataplane/request-context.js';
import type { InboundApi, InboundCall, UpstreamSender } from '../inbound-call.js';
import { nativeBody } from '../native-body.js';
import { responsesTarget, speaksResponses } from './native-target.js';
import { responsesToChat } from './request-to-chat.js';
import { ChatToResponsesRewriter } from './stream-translator.js';

class ResponsesCall implements InboundCall {
  native = false;
  private readonly body: JsonObject;
  /** The model name the client asked for (a native attempt swaps the body's), which translated answers echo. */
  private readonly model: string;
  private readonly problem: GatewayError | null;

  constructor(body: JsonObject, problem: GatewayError | null) {
    this.body = body;
    this.model = body.model as string;
    this.problem = problem;
  }

  intercept(ctx: RequestContext, deployment: Deployment, sender: UpstreamSender): boolean {
    if (speaksResponses(deployment) && deployment.mockResponse === null && this.body.mock_response === undefined) {
      // Bytes piped as the provider sends them; the exchange's usage scanner reads `usage` from response.completed.
      this.native = true;
      ctx.rewriter = null;
      const target = responsesTarget(deployment);
      sender.sendUpstream(ctx, deployment, { origin: target.origin, path: target.path, method: 'POST', headers: target.headers as Record<string, string>, body: nativeBody(this.body, deployment.upstreamModel) });
      return true;
    }
    if (this.problem !== null) throw this.problem;
    // Each attempt (the router may retry or fall back to another kind of deployment) gets a fresh translator.
    this.native = false;
    ctx.rewriter = new ChatToResponsesRewriter({ model: this.model, request: this.body });
    return false;
  }
}

export const RESPONSES_API: InboundApi = {
  name: 'openai-responses',
  accept(ctx: RequestContext, body: JsonObject): JsonObject {
    const translated = responsesToChat(body);
    ctx.inbound = new ResponsesCall(body, translated.problem);
    return translated.chat;
  },
};
