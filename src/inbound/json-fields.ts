// Small readers and error builders shared by the inbound translators: typed field access naming the bad field.
import { invalidRequest, type GatewayError } from '../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';

export function typeName(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

export function wrongType(param: string, expected: string, value: JsonValue | undefined): GatewayError {
  if (value === undefined) return invalidRequest(`Missing required parameter: '${param}'.`, param);
  return invalidRequest(`Invalid type for '${param}': expected ${expected}, got ${typeName(value)}.`, param);
}

/** Throws unless the optional field is absent, null, or of the expected JSON type. */
export function checkOptional(body: JsonObject, field: string, expected: 'number' | 'boolean' | 'string' | 'object' | 'array', prefix = ''): void {
  const value = body[field];
  if (value === undefined || value === null) return;
  const actual = typeName(value);
  if (actual !== expected) throw wrongType(prefix + field, expected, value);
}

export function objectAt(value: JsonValue | undefined, param: string): JsonObject {
  if (!isJsonObject(value)) throw wrongType(param, 'object', value);
  return value;
}

export function stringAt(value: JsonValue | undefined, param: string): string {
  if (typeof value !== 'string') throw wrongType(param, 'string', value);
  return value;
}

/** A data URL for base64 image or document sources, as OpenAI's chat content parts take them. */
export function dataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}

/** Parses tool-call arguments; providers sometimes send '' or broken JSON, which become an empty object. */
export function parseArguments(text: JsonValue | undefined): JsonObject {
  if (typeof text !== 'string' || text === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? (parsed as JsonObject) : {};
  } catch {
    return {};
  }
}
