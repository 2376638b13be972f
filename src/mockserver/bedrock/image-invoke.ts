// POST /model/{id}/invoke for image models: Titan / Nova Canvas TEXT_IMAGE and Stability's `{prompt}` bodies.
import { PIXEL_PNG } from '../gemini/predict.js';
import { asNumber, asRecord, asString, type JsonRecord } from '../json.js';
import { sendReply } from '../send.js';
import type { MockContext, MockError } from '../types.js';

export function isImageInvoke(body: JsonRecord): boolean {
  return body.taskType === 'TEXT_IMAGE' || typeof body.prompt === 'string';
}

export function handleImageInvoke(ctx: MockContext, body: JsonRecord): MockError | undefined {
  if (body.taskType === 'TEXT_IMAGE') {
    if (asString(asRecord(body.textToImageParams)?.text) === undefined) return { kind: 'invalid_request', status: 400, message: 'textToImageParams.text is required' };
    const count = asNumber(asRecord(body.imageGenerationConfig)?.numberOfImages) ?? 1;
    sendReply(ctx, { images: Array.from({ length: count }, () => PIXEL_PNG), error: null });
    return undefined;
  }
  sendReply(ctx, { images: [PIXEL_PNG], finish_reasons: [null], seeds: [0] });
  return undefined;
}
