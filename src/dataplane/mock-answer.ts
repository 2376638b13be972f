// Answers a request from the in-process mock provider (built-in `mock` model, `mock_response`): no network.
import { performance } from 'node:perf_hooks';
import type { JsonObject } from '../core/json.js';
import { usageFromOpenAI } from '../core/usage.js';
import {
  defaultMockAnswer,
  mockChatCompletion,
  mockChatStreamEvents,
  mockEmbeddingResponse,
  mockTextCompletion,
  splitIntoChunks,
} from '../providers/mock/mock-response.js';
import type { RequestContext } from './request-context.js';
import { gatewayHeaders } from './response-headers.js';

function textCompletionStream(model: string, answer: string): string[] {
  const created = Math.floor(Date.now() / 1000);
  const frame = (text: string, finish: string | null): string =>
    `data: ${JSON.stringify({ id: 'cmpl-mock', object: 'text_completion', created, model, choices: [{ index: 0, text, logprobs: null, finish_reason: finish }] })}\n\n`;
  return [...splitIntoChunks(answer, 8).map((piece) => frame(piece, null)), frame('', 'stop'), 'data: [DONE]\n\n'];
}

export function answerWithMock(ctx: RequestContext, body: JsonObject, mockText: string): void {
  const model = typeof body.model === 'string' ? body.model : 'mock';
  const answer = mockText === '' ? defaultMockAnswer(body) : mockText;
  ctx.upstreamStartedAt = ctx.upstreamEndedAt = performance.now();
  ctx.status = 200;
  const headers: Record<string, string> = gatewayHeaders(ctx, 0);
  if (ctx.stream && ctx.operation !== 'embedding') {
    headers['content-type'] = 'text/event-stream';
    headers['cache-control'] = 'no-cache';
    ctx.res.writeHead(200, headers);
    const events = ctx.operation === 'chat' ? mockChatStreamEvents(body, model, answer) : textCompletionStream(model, answer);
    const rewriter = ctx.rewriter;
    // Inbound APIs (/v1/messages, /v1/responses) get the mock's OpenAI stream in their own format.
    ctx.res.end(rewriter === null ? events.join('') : rewriter.push(events.join('')) + rewriter.end());
    return;
  }
  const response =
    ctx.operation === 'chat'
      ? mockChatCompletion(body, model, answer)
      : ctx.operation === 'completion'
        ? mockTextCompletion(body, model, answer)
        : mockEmbeddingResponse(body, model);
  ctx.usage = usageFromOpenAI(response.usage);
  const text = ctx.rewriter === null ? JSON.stringify(response) : ctx.rewriter.rewriteBody(Buffer.from(JSON.stringify(response)));
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(text));
  ctx.res.writeHead(200, headers);
  ctx.res.end(text);
}
