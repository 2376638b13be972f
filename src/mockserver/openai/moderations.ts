// POST /v1/moderations: flags inputs containing a few trigger words, in OpenAI's result shape.
import { asArray, asRecord, asString } from '../json.js';
import { sendReply } from '../send.js';
import type { MockContext, MockError } from '../types.js';

const TRIGGERS: ReadonlyArray<[string, string]> = [['kill', 'violence'], ['hate', 'hate'], ['bomb', 'violence']];
const CATEGORIES = ['hate', 'harassment', 'self-harm', 'sexual', 'violence'];

function moderate(text: string): Record<string, unknown> {
  const lower = text.toLowerCase();
  const categories: Record<string, boolean> = {};
  const scores: Record<string, number> = {};
  for (const name of CATEGORIES) {
    const hit = TRIGGERS.some(([word, category]) => category === name && lower.includes(word));
    categories[name] = hit;
    scores[name] = hit ? 0.98 : 0.0001;
  }
  return { flagged: Object.values(categories).some(Boolean), categories, category_scores: scores };
}

export function handleModerations(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  const inputs = typeof body.input === 'string' ? [body.input] : asArray(body.input).map((item) => (typeof item === 'string' ? item : asString(asRecord(item)?.text) ?? ''));
  if (inputs.length === 0) return { kind: 'invalid_request', status: 400, message: "Missing required parameter: 'input'." };
  sendReply(ctx, { id: ctx.nextId('modr-'), model: asString(body.model) ?? 'omni-moderation-latest', results: inputs.map(moderate) });
  return undefined;
}
