// Narrowing helpers for untyped request JSON, so handlers read bodies without `any`.

export type JsonRecord = Record<string, unknown>;

const EMPTY: readonly unknown[] = Object.freeze([]);

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : EMPTY;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Reads `record[key]` as a record, tolerating a missing parent. */
export function field(record: JsonRecord | undefined, key: string): JsonRecord | undefined {
  return record === undefined ? undefined : asRecord(record[key]);
}

/**
 * Text of a message's content in any provider's shape: a string, a list of parts with
 * `text` fields (OpenAI, Anthropic, Gemini, Bedrock, Cohere), or one such part.
 */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    let out = '';
    for (const part of content) {
      const text = asRecord(part)?.text;
      if (typeof text === 'string') out = out.length === 0 ? text : `${out}\n${text}`;
    }
    return out;
  }
  const text = asRecord(content)?.text;
  return typeof text === 'string' ? text : '';
}
