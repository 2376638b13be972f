// POST /v1/images/generations and /v1/images/edits: `n` images as URLs or base64 (a 1×1 PNG), like OpenAI's shape.
import { asNumber, asRecord, asString } from '../json.js';
import { sendReply } from '../send.js';
import type { MockContext, MockError } from '../types.js';

const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function images(ctx: MockContext, prompt: string, n: number, format: string): void {
  const data = [];
  for (let index = 0; index < n; index++) {
    data.push(format === 'b64_json' ? { b64_json: PIXEL_PNG, revised_prompt: prompt } : { url: `https://mock.invalid/images/${ctx.nextId('img-')}.png`, revised_prompt: prompt });
  }
  sendReply(ctx, { created: Math.floor(Date.now() / 1000), data });
}

export function handleImageGeneration(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  const prompt = asString(body.prompt);
  if (prompt === undefined || prompt === '') return { kind: 'invalid_request', status: 400, message: "Missing required parameter: 'prompt'." };
  const n = asNumber(body.n) ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 10) return { kind: 'invalid_request', status: 400, message: `Invalid value for 'n': ${String(body.n)}.` };
  images(ctx, `${prompt} [model=${asString(body.model) ?? ctx.pathModel}]`, n, asString(body.response_format) ?? 'url');
  return undefined;
}

export function handleImageEdit(ctx: MockContext): MockError | undefined {
  const form = ctx.multipart;
  const image = form?.files.image ?? form?.files['image[]'];
  if (form === undefined || image === undefined) return { kind: 'invalid_request', status: 400, message: "Missing required parameter: 'image'." };
  const n = Number(form.fields.n ?? '1');
  images(ctx, `${form.fields.prompt ?? ''} [model=${form.fields.model ?? ctx.pathModel}, image sha256=${image.sha256}]`, Number.isInteger(n) && n > 0 ? n : 1, form.fields.response_format ?? 'url');
  return undefined;
}
