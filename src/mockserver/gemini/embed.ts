// :embedContent, :batchEmbedContents and :countTokens for Gemini and Vertex AI.
import { embedText, toArray } from '../embedding.js';
import { asArray, asNumber, asRecord, textOf, type JsonRecord } from '../json.js';
import { planReply } from '../reply.js';
import { sendJson, sendReply } from '../send.js';
import type { MockContext, MockError } from '../types.js';
import { geminiPrompt } from './prompt.js';

/** gemini-embedding-001 defaults to 3072 dimensions, text-embedding-004 and older to 768. */
function defaultDimensions(model: string): number {
  return model.includes('gemini-embedding') ? 3072 : 768;
}

export function handleEmbedContent(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  const values = embedRequest(ctx, body);
  if (values === undefined) return missingContent();
  sendReply(ctx, { embedding: { values } });
  return undefined;
}

export function handleBatchEmbed(ctx: MockContext): MockError | undefined {
  const requests = asArray(asRecord(ctx.body)?.requests);
  const embeddings: JsonRecord[] = [];
  for (const request of requests) {
    const values = embedRequest(ctx, asRecord(request) ?? {});
    if (values === undefined) return missingContent();
    embeddings.push({ values });
  }
  if (embeddings.length === 0) return { kind: 'invalid_request', status: 400, message: '* BatchEmbedContentsRequest.requests: at least one request is required' };
  sendReply(ctx, { embeddings });
  return undefined;
}

export function handleCountTokens(ctx: MockContext): void {
  const body = asRecord(ctx.body) ?? {};
  const request = asRecord(body.generateContentRequest) ?? body;
  const totalTokens = planReply(geminiPrompt(request)).promptTokens;
  sendJson(ctx, 200, { totalTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }] });
}

function embedRequest(ctx: MockContext, request: JsonRecord): number[] | undefined {
  const content = asRecord(request.content);
  if (content === undefined) return undefined;
  const dims = asNumber(request.outputDimensionality) ?? defaultDimensions(ctx.pathModel);
  return toArray(embedText(textOf(content.parts), dims));
}

function missingContent(): MockError {
  return { kind: 'invalid_request', status: 400, message: '* EmbedContentRequest.content: contents is not specified' };
}

