// POST /v1/embeddings: deterministic vectors as float arrays or base64 (the official client's default).
import { tokensOf } from '../answer.js';
import { embedText, embedTokens, toArray, toBase64 } from '../embedding.js';
import { asArray, asNumber, asRecord, asString } from '../json.js';
import { sendReply } from '../send.js';
import type { MockContext, MockError } from '../types.js';

const DEFAULT_DIMENSIONS = 1536;
const MAX_DIMENSIONS = 8192;

interface EmbeddingInput {
  vectors: Float32Array[];
  tokens: number;
}

export function handleEmbeddings(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  const dims = asNumber(body.dimensions) ?? DEFAULT_DIMENSIONS;
  if (!Number.isInteger(dims) || dims < 1 || dims > MAX_DIMENSIONS) {
    return { kind: 'invalid_request', status: 400, message: `Invalid value for 'dimensions': ${String(body.dimensions)}.` };
  }
  const input = embedInput(body.input, dims);
  if (input === undefined) {
    return { kind: 'invalid_request', status: 400, message: "'input' must be a string, an array of strings, or an array of token arrays." };
  }
  const base64 = body.encoding_format === 'base64';
  sendReply(ctx, {
    object: 'list',
    data: input.vectors.map((v, index) => ({ object: 'embedding', index, embedding: base64 ? toBase64(v) : toArray(v) })),
    model: asString(body.model) ?? ctx.pathModel,
    usage: { prompt_tokens: input.tokens, total_tokens: input.tokens },
  });
  return undefined;
}

/** string | string[] | number[] (one token array) | number[][]. */
function embedInput(input: unknown, dims: number): EmbeddingInput | undefined {
  if (typeof input === 'string') return { vectors: [embedText(input, dims)], tokens: tokensOf(input.length) };
  const list = asArray(input);
  if (list.length === 0) return undefined;
  if (typeof list[0] === 'number') return { vectors: [embedTokens(list, dims)], tokens: list.length };
  const out: EmbeddingInput = { vectors: [], tokens: 0 };
  for (const item of list) {
    if (typeof item === 'string') {
      out.vectors.push(embedText(item, dims));
      out.tokens += tokensOf(item.length);
    } else if (Array.isArray(item)) {
      out.vectors.push(embedTokens(item, dims));
      out.tokens += item.length;
    } else {
      return undefined;
    }
  }
  return out;
}
