// POST /v2/embed and /v2/rerank: Cohere's embeddings-by-type and relevance-ranked results.
import { tokensOf } from '../answer.js';
import { cosine, embedText, toArray } from '../embedding.js';
import { asArray, asNumber, asRecord, asString, textOf } from '../json.js';
import { sendReply } from '../send.js';
import type { MockContext, MockError } from '../types.js';

const API_VERSION = { version: '2' };

export function handleCohereEmbed(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  const texts = asArray(body.texts).length > 0 ? asArray(body.texts) : asArray(body.inputs).map(textOf);
  if (texts.length === 0 || !texts.every((t) => typeof t === 'string')) {
    return { kind: 'invalid_request', status: 400, message: 'invalid request: texts must be a non-empty list of strings' };
  }
  const strings = texts as string[];
  const model = asString(body.model) ?? '';
  const dims = asNumber(body.output_dimension) ?? (model.includes('v4') ? 1536 : 1024);
  const inputTokens = strings.reduce((sum, t) => sum + tokensOf(t.length), 0);
  sendReply(ctx, {
    id: ctx.nextId(''),
    embeddings: { float: strings.map((t) => toArray(embedText(t, dims))) },
    texts: strings,
    meta: { api_version: API_VERSION, billed_units: { input_tokens: inputTokens } },
    response_type: 'embeddings_by_type',
  });
  return undefined;
}

/** Scores are the (clamped) cosine of the mock embeddings, so documents sharing the query's words rank first. */
export function handleRerank(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  const query = asString(body.query);
  const documents = asArray(body.documents).map((d) => (typeof d === 'string' ? d : textOf(d)));
  if (query === undefined || documents.length === 0) {
    return { kind: 'invalid_request', status: 400, message: 'invalid request: query and documents are required' };
  }
  const q = embedText(query, 256);
  const results = documents
    .map((doc, index) => ({ index, relevance_score: Math.max(0, cosine(q, embedText(doc, 256))) }))
    .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
    .slice(0, asNumber(body.top_n) ?? documents.length);
  sendReply(ctx, {
    id: ctx.nextId(''),
    results,
    meta: { api_version: API_VERSION, billed_units: { search_units: Math.ceil(documents.length / 100) } },
  });
  return undefined;
}
