// Reads a rerank call in Cohere's format (the format `/v1/rerank` and `/v2/rerank` accept) into one canonical shape.
import { invalidRequest } from '../../core/errors.js';
import { isJsonObject, type JsonObject } from '../../core/json.js';

export interface RerankRequest {
  query: string;
  /** Document texts, in the caller's order (results index into this list). */
  documents: string[];
  topN: number | null;
  returnDocuments: boolean;
}

/** Documents may be strings or `{text}` objects (Cohere v1); anything else is a 400 naming the field. */
export function readRerankRequest(body: JsonObject): RerankRequest {
  const query = body.query;
  if (typeof query !== 'string' || query === '') throw invalidRequest('Missing required parameter: query (a non-empty string).', 'query');
  const list = body.documents;
  if (!Array.isArray(list) || list.length === 0) throw invalidRequest('Missing required parameter: documents (a non-empty list).', 'documents');
  const documents: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') documents.push(item);
    else if (isJsonObject(item) && typeof item.text === 'string') documents.push(item.text);
    else throw invalidRequest('Each document must be a string or an object with a "text" string.', 'documents');
  }
  const topN = body.top_n;
  if (topN !== undefined && topN !== null && (typeof topN !== 'number' || !Number.isInteger(topN) || topN < 1)) throw invalidRequest('top_n must be a positive integer.', 'top_n');
  return { query, documents, topN: typeof topN === 'number' ? topN : null, returnDocuments: body.return_documents === true };
}
