// POST /api/embed and GET /api/tags for Ollama.
import { tokensOf } from '../answer.js';
import { embedText, toArray } from '../embedding.js';
import { asArray, asNumber, asRecord, asString } from '../json.js';
import { sendJson, sendReply } from '../send.js';
import type { MockContext, MockError } from '../types.js';

const DEFAULT_DIMENSIONS = 768;

export function handleOllamaEmbed(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  const input = typeof body.input === 'string' ? [body.input] : asArray(body.input);
  if (input.length === 0 || !input.every((t) => typeof t === 'string')) {
    return { kind: 'invalid_request', status: 400, message: 'invalid input type' };
  }
  const texts = input as string[];
  const dims = asNumber(body.dimensions) ?? DEFAULT_DIMENSIONS;
  sendReply(ctx, {
    model: asString(body.model) ?? '',
    embeddings: texts.map((t) => toArray(embedText(t, dims))),
    total_duration: 1_000_000,
    load_duration: 100_000,
    prompt_eval_count: texts.reduce((sum, t) => sum + tokensOf(t.length), 0),
  });
  return undefined;
}

const MODIFIED_AT = '2025-01-01T00:00:00.000000000Z';
const TAGS = {
  models: [
    tag('llama3.2:latest', 'llama', '3.2B', 2019393189),
    tag('qwen2.5:7b', 'qwen2', '7.6B', 4683087332),
    tag('nomic-embed-text:latest', 'nomic-bert', '137M', 274302450),
  ],
};

function tag(name: string, family: string, parameterSize: string, size: number): unknown {
  return {
    name,
    model: name,
    modified_at: MODIFIED_AT,
    size,
    digest: size.toString(16).padStart(64, '0'),
    details: { parent_model: '', format: 'gguf', family, families: [family], parameter_size: parameterSize, quantization_level: 'Q4_K_M' },
  };
}

export function handleTags(ctx: MockContext): void {
  sendJson(ctx, 200, TAGS);
}
