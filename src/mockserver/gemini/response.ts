// Builds GenerateContentResponse objects: candidates, safety ratings and usageMetadata.
import type { JsonRecord } from '../json.js';
import type { Reply } from '../reply.js';

const CATEGORIES = [
  'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_DANGEROUS_CONTENT',
  'HARM_CATEGORY_HARASSMENT',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT',
];

export const SAFE_RATINGS: readonly JsonRecord[] = CATEGORIES.map((category) => ({ category, probability: 'NEGLIGIBLE' }));

export const BLOCKED_RATINGS: readonly JsonRecord[] = CATEGORIES.map((category, i) =>
  i === 1 ? { category, probability: 'HIGH', blocked: true } : { category, probability: 'NEGLIGIBLE' },
);

const FINISH: Readonly<Record<Reply['finish'], string>> = { stop: 'STOP', length: 'MAX_TOKENS', tool_calls: 'STOP' };

/** Per-response fields, fixed before the reply is rendered whole or in chunks. */
export interface GeminiBase {
  model: string;
  responseId: string;
  /** False when the usage=0 scenario strips usageMetadata. */
  usage: boolean;
}

export function finishReason(reply: Reply): string {
  return FINISH[reply.finish];
}

export function replyParts(reply: Reply): JsonRecord[] {
  const call = reply.toolCall;
  return call === undefined ? [{ text: reply.text }] : [{ functionCall: { name: call.name, args: call.args } }];
}

export function usageMetadata(promptTokens: number, candidatesTokens: number | undefined): JsonRecord {
  const usage: JsonRecord = { promptTokenCount: promptTokens };
  if (candidatesTokens !== undefined) usage.candidatesTokenCount = candidatesTokens;
  usage.totalTokenCount = promptTokens + (candidatesTokens ?? 0);
  usage.promptTokensDetails = [{ modality: 'TEXT', tokenCount: promptTokens }];
  return usage;
}

/** One GenerateContentResponse; usageMetadata is left out when the usage=0 scenario is on. */
export function responseObject(base: GeminiBase, candidate: JsonRecord, usage: JsonRecord | undefined): JsonRecord {
  const out: JsonRecord = { candidates: [candidate] };
  if (base.usage && usage !== undefined) out.usageMetadata = usage;
  out.modelVersion = base.model;
  out.responseId = base.responseId;
  return out;
}

/** A candidate; `finish` is undefined for a mid-stream chunk, which also carries no safety ratings. */
export function candidate(parts: JsonRecord[], finish: string | undefined): JsonRecord {
  const out: JsonRecord = { content: { parts, role: 'model' } };
  if (finish !== undefined) {
    out.finishReason = finish;
    out.safetyRatings = SAFE_RATINGS;
  }
  out.index = 0;
  return out;
}
