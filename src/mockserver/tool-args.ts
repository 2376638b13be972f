// Builds deterministic values from a JSON schema, so mock tool calls and structured outputs validate against it.
import { asArray, asRecord, asString, type JsonRecord } from './json.js';

const MAX_DEPTH = 8;

/**
 * Value for `schema`: string → "mock" (or the first enum value), number/integer → 1,
 * boolean → true, array → [], object → its required properties (all of them when
 * `allWhenNoneRequired` and the schema lists none). Gemini's upper-case types work too.
 */
export function valueFromSchema(schema: unknown, allWhenNoneRequired: boolean, depth = 0): unknown {
  const s = asRecord(schema);
  if (s === undefined || depth > MAX_DEPTH) return 'mock';
  const choices = asArray(s.enum);
  if (choices.length > 0) return choices[0];
  if (s.const !== undefined) return s.const;
  const variants = asArray(s.anyOf).length > 0 ? asArray(s.anyOf) : asArray(s.oneOf);
  if (variants.length > 0) return valueFromSchema(variants[0], allWhenNoneRequired, depth + 1);
  switch (schemaType(s)) {
    case 'string':
      return 'mock';
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'null':
      return null;
    default:
      return objectFromSchema(s, allWhenNoneRequired, depth);
  }
}

function objectFromSchema(s: JsonRecord, allWhenNoneRequired: boolean, depth: number): JsonRecord {
  const props = asRecord(s.properties) ?? {};
  const required = asArray(s.required);
  const names = required.length > 0 || !allWhenNoneRequired ? required : Object.keys(props);
  const out: JsonRecord = {};
  for (const name of names) {
    if (typeof name === 'string') out[name] = valueFromSchema(props[name], allWhenNoneRequired, depth + 1);
  }
  return out;
}

function schemaType(s: JsonRecord): string {
  const t = s.type;
  if (Array.isArray(t)) {
    for (const item of t) if (typeof item === 'string' && item.toLowerCase() !== 'null') return item.toLowerCase();
    return 'null';
  }
  const name = asString(t);
  if (name !== undefined) return name.toLowerCase();
  return s.properties !== undefined ? 'object' : 'string';
}
