// One rerank call per wire format: Cohere v2, Jina (and OpenAI-compatible servers such as vLLM), Voyage, Bedrock.
// Each row builds the upstream path and body and reads the answer back into Cohere's response shape.
import { GatewayError } from '../../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import type { RerankRequest } from './rerank-request.js';

export type RerankWireId = 'cohere' | 'jina' | 'voyage' | 'bedrock';

/** What a rerank answer cost, in the units the provider bills. */
export interface RerankBilling {
  searchUnits: number;
  tokens: number;
}

export interface RerankAnswer {
  body: JsonObject;
  billing: RerankBilling;
}

interface RankedResult {
  index: number;
  score: number;
}

export interface RerankWire {
  readonly id: RerankWireId;
  /** Path under the deployment's base path (Cohere: the origin root; Bedrock: the agent-runtime origin). */
  readonly path: string;
  buildBody(request: RerankRequest, model: string): JsonObject;
  /** Ranked results and billing from the provider's success body; throws a 502 GatewayError on a bad body. */
  readResults(body: JsonObject): { results: RankedResult[]; billing: RerankBilling };
}

function badBody(): GatewayError {
  return new GatewayError({ reason: 'upstream', status: 502, message: 'The provider returned a rerank response Sluice could not read.' });
}

function numberAt(value: JsonValue | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** `[{index, <scoreField>}]` → ranked results. */
function rankedList(list: JsonValue | undefined, scoreField: string): RankedResult[] {
  if (!Array.isArray(list)) throw badBody();
  const out: RankedResult[] = [];
  for (const item of list) {
    if (!isJsonObject(item) || typeof item.index !== 'number') throw badBody();
    out.push({ index: item.index, score: numberAt(item[scoreField]) });
  }
  return out;
}

function tokensOf(body: JsonObject): number {
  const usage = body.usage;
  return isJsonObject(usage) ? numberAt(usage.total_tokens) : 0;
}

const COHERE: RerankWire = {
  id: 'cohere',
  path: '/v2/rerank',
  buildBody: (request, model) => ({ model, query: request.query, documents: request.documents, ...(request.topN !== null ? { top_n: request.topN } : {}) }),
  readResults(body) {
    const meta = body.meta;
    const billed = isJsonObject(meta) && isJsonObject(meta.billed_units) ? meta.billed_units : {};
    return { results: rankedList(body.results, 'relevance_score'), billing: { searchUnits: numberAt(billed.search_units), tokens: 0 } };
  },
};

const JINA: RerankWire = {
  id: 'jina',
  path: '/rerank',
  buildBody: (request, model) => ({ model, query: request.query, documents: request.documents, return_documents: false, ...(request.topN !== null ? { top_n: request.topN } : {}) }),
  readResults: (body) => ({ results: rankedList(body.results, 'relevance_score'), billing: { searchUnits: 0, tokens: tokensOf(body) } }),
};

const VOYAGE: RerankWire = {
  id: 'voyage',
  path: '/rerank',
  buildBody: (request, model) => ({ model, query: request.query, documents: request.documents, return_documents: false, ...(request.topN !== null ? { top_k: request.topN } : {}) }),
  readResults: (body) => ({ results: rankedList(body.data, 'relevance_score'), billing: { searchUnits: 0, tokens: tokensOf(body) } }),
};

/** Bedrock Agent Runtime `Rerank`: the model is addressed by ARN; one search unit per query and 100 documents. */
const BEDROCK: RerankWire = {
  id: 'bedrock',
  path: '/rerank',
  buildBody(request, model) {
    const configuration: JsonObject = { modelConfiguration: { modelArn: model } };
    configuration.numberOfResults = request.topN ?? request.documents.length;
    return {
      queries: [{ type: 'TEXT', textQuery: { text: request.query } }],
      sources: request.documents.map((text) => ({ type: 'INLINE', inlineDocumentSource: { type: 'TEXT', textDocument: { text } } })),
      rerankingConfiguration: { type: 'BEDROCK_RERANKING_MODEL', bedrockRerankingConfiguration: configuration },
    };
  },
  readResults(body) {
    const results = rankedList(body.results, 'relevanceScore');
    return { results, billing: { searchUnits: Math.max(1, Math.ceil(results.length / 100)), tokens: 0 } };
  },
};

const WIRES: Readonly<Record<RerankWireId, RerankWire>> = { cohere: COHERE, jina: JINA, voyage: VOYAGE, bedrock: BEDROCK };

/** Which wire a provider speaks for rerank: Cohere, Bedrock and Voyage natively, every other provider Jina's (vLLM, TEI, Jina). */
export function rerankWireOf(provider: string): RerankWire {
  if (provider === 'cohere' || provider === 'cohere_chat') return WIRES.cohere;
  if (provider === 'bedrock') return WIRES.bedrock;
  if (provider === 'voyage') return WIRES.voyage;
  return WIRES.jina;
}

/** Cohere v2's response shape, with documents attached when the caller asked for them. */
export function toCohereAnswer(wire: RerankWire, upstream: JsonObject, request: RerankRequest, id: string): RerankAnswer {
  const { results, billing } = wire.readResults(upstream);
  const out: JsonValue[] = [];
  for (const result of results) {
    if (result.index < 0 || result.index >= request.documents.length) throw badBody();
    const item: JsonObject = { index: result.index, relevance_score: result.score };
    if (request.returnDocuments) item.document = { text: request.documents[result.index]! };
    out.push(item);
  }
  const billed: JsonObject = { search_units: billing.searchUnits };
  if (billing.tokens > 0) billed.input_tokens = billing.tokens;
  return { body: { id, results: out, meta: { api_version: { version: '2' }, billed_units: billed } }, billing };
}
