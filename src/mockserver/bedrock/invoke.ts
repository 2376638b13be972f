// POST /model/{modelId}/invoke for embedding models: Titan ({inputText}) and Cohere on Bedrock ({texts}).
import { tokensOf } from '../answer.js';
import { embedText, toArray } from '../embedding.js';
import { asArray, asNumber, asRecord, asString } from '../json.js';
import { sendReply } from '../send.js';
import type { MockContext, MockError } from '../types.js';
import { handleImageInvoke, isImageInvoke } from './image-invoke.js';

const MALFORMED: MockError = {
  kind: 'invalid_request',
  status: 400,
  message: 'Malformed input request, please reformat your input and try again.',
};

export function handleInvoke(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  if (isImageInvoke(body)) return handleImageInvoke(ctx, body);
  const inputText = asString(body.inputText);
  if (inputText !== undefined) {
    // Titan v2 defaults to 1024 dimensions, v1 to 1536.
    const dims = asNumber(body.dimensions) ?? (ctx.pathModel.includes('-v2') ? 1024 : 1536);
    sendReply(ctx, { embedding: toArray(embedText(inputText, dims)), inputTextTokenCount: tokensOf(inputText.length) });
    return undefined;
  }
  const texts = asArray(body.texts);
  if (texts.length === 0 || !texts.every((t) => typeof t === 'string')) return MALFORMED;
  const strings = texts as string[];
  sendReply(ctx, {
    embeddings: strings.map((text) => toArray(embedText(text, 1024))),
    id: ctx.nextId(''),
    response_type: 'embeddings_floats',
    texts: strings,
  });
  return undefined;
}
