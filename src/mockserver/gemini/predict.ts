// POST {model}:predict: Imagen on Gemini and Vertex AI, `sampleCount` base64 PNGs.
import { asArray, asNumber, asRecord, asString } from '../json.js';
import { sendReply } from '../send.js';
import type { MockContext, MockError } from '../types.js';

export const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

export function handlePredict(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  const prompt = asString(asRecord(asArray(body.instances)[0])?.prompt);
  if (prompt === undefined) return { kind: 'invalid_request', status: 400, message: 'instances[0].prompt is required' };
  const count = asNumber(asRecord(body.parameters)?.sampleCount) ?? 1;
  const predictions = [];
  for (let index = 0; index < count; index++) predictions.push({ bytesBase64Encoded: PIXEL_PNG, mimeType: 'image/png' });
  sendReply(ctx, { predictions });
  return undefined;
}
