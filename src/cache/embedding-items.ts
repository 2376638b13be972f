// Embedding batches cached per input item: split the input, and merge cached and fresh vectors back in order.
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';

/** The items of an embedding `input`: a string, a token array or a list of either; null when not itemisable. */
export function embeddingItems(input: JsonValue | undefined): JsonValue[] | null {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return null;
  if (typeof input[0] === 'number') return [input];
  for (const item of input) if (typeof item !== 'string' && !Array.isArray(item)) return null;
  return input;
}

/** One item's stored form: a one-item embedding list, so a single-input hit is answered as stored. */
export function singleItemBody(embedding: JsonValue, model: JsonValue | undefined): string {
  return JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding }], model: model ?? null, usage: { prompt_tokens: 0, total_tokens: 0 } });
}

/** The `embedding` of a stored one-item body, or undefined when it is not one. */
export function storedEmbedding(response: string): { embedding: JsonValue; model: JsonValue } | undefined {
  try {
    const parsed = JSON.parse(response) as unknown;
    if (!isJsonObject(parsed) || !Array.isArray(parsed.data)) return undefined;
    const first = parsed.data[0];
    if (!isJsonObject(first) || first.embedding === undefined) return undefined;
    return { embedding: first.embedding, model: parsed.model ?? null };
  } catch {
    return undefined;
  }
}

/** Upstream `data` ordered by `index` (providers may return them out of order). */
export function orderedData(body: JsonObject): JsonObject[] | null {
  if (!Array.isArray(body.data)) return null;
  const data: JsonObject[] = [];
  for (const item of body.data) if (isJsonObject(item)) data.push(item);
  data.sort((a, b) => (typeof a.index === 'number' ? a.index : 0) - (typeof b.index === 'number' ? b.index : 0));
  return data;
}

/**
 * The merged response: `cached[i]` where an item was a hit, else the next fresh vector; indices renumbered to
 * the client's order; usage is the upstream call's (cached items cost nothing).
 */
export function mergeEmbeddings(cached: ReadonlyArray<JsonValue | undefined>, fresh: readonly JsonObject[], model: JsonValue, usage: JsonValue | undefined): JsonObject {
  const data: JsonObject[] = [];
  let next = 0;
  for (let index = 0; index < cached.length; index++) {
    const hit = cached[index];
    const embedding = hit !== undefined ? hit : fresh[next++]?.embedding ?? null;
    data.push({ object: 'embedding', index, embedding });
  }
  return { object: 'list', data, model, usage: usage ?? { prompt_tokens: 0, total_tokens: 0 } };
}
