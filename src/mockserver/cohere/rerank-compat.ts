// POST /v1/rerank in the other rerank dialects: Jina's (also vLLM/TEI), Voyage's (`top_k`, `data`), and Bedrock
// Agent Runtime's (`queries`/`sources`, served at /rerank). Scores come from Cohere's mock so all agree.
import { cosine, embedText } from '../embedding.js';
import { asArray, asNumber, asRecord, asString, textOf } from '../json.js';
import { sendReply } from '../send.js';
import type { MockContext, MockError } from '../types.js';

function rank(query: string, documents: string[], top: number | undefined): Array<{ index: number; relevance_score: number }> {
  const q = embedText(query, 256);
  return documents
    .map((doc, index) => ({ index, relevance_score: Math.max(0, cosine(q, embedText(doc, 256))) }))
    .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
    .slice(0, top ?? documents.length);
}

function bedrockRerank(ctx: MockContext, body: Record<string, unknown>): MockError | undefined {
  const query = asString(asRecord(asRecord(asArray(body.queries)[0])?.textQuery)?.text);
  const documents = asArray(body.sources).map((source) => asString(asRecord(asRecord(asRecord(source)?.inlineDocumentSource)?.textDocument)?.text) ?? '');
  const configuration = asRecord(asRecord(body.rerankingConfiguration)?.bedrockRerankingConfiguration);
  if (query === undefined || documents.length === 0) return { kind: 'invalid_request', status: 400, message: 'queries and sources are required' };
  const results = rank(query, documents, asNumber(configuration?.numberOfResults)).map((r) => ({ index: r.index, relevanceScore: r.relevance_score }));
  sendReply(ctx, { results });
  return undefined;
}

export function handleRerankCompat(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  if (body.queries !== undefined) return bedrockRerank(ctx, body);
  const query = asString(body.query);
  const documents = asArray(body.documents).map((d) => (typeof d === 'string' ? d : textOf(d)));
  if (query === undefined || documents.length === 0) return { kind: 'invalid_request', status: 400, message: 'query and documents are required' };
  const model = asString(body.model) ?? '';
  const tokens = Math.ceil((query.length + documents.join(' ').length) / 4);
  const voyage = body.top_k !== undefined || model.startsWith('rerank-');
  if (voyage) {
    sendReply(ctx, { object: 'list', data: rank(query, documents, asNumber(body.top_k)), model, usage: { total_tokens: tokens } });
    return undefined;
  }
  sendReply(ctx, { model, usage: { total_tokens: tokens }, results: rank(query, documents, asNumber(body.top_n)) });
  return undefined;
}
