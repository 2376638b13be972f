// Checks an OpenAI request body's shape once, by hand (no schema library per request), naming the bad field.
import { invalidRequest, type GatewayError } from '../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';
import type { Operation } from '../core/operation.js';

const ROLES: ReadonlySet<string> = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

function typeName(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function expectType(body: JsonObject, field: string, expected: 'number' | 'boolean' | 'string' | 'object' | 'array'): GatewayError | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  const actual = typeName(value);
  if (actual === expected) return null;
  return invalidRequest(`Invalid type for '${field}': expected ${expected}, got ${actual}.`, field);
}

/** `messages[i]`, made only for an error (building it for every valid message was a string per message). */
function messageParam(index: number): string {
  return `messages[${index}]`;
}

function validateMessages(messages: JsonValue | undefined): GatewayError | null {
  if (messages === undefined) return invalidRequest("Missing required parameter: 'messages'.", 'messages');
  if (!Array.isArray(messages)) return invalidRequest(`Invalid type for 'messages': expected array, got ${typeName(messages)}.`, 'messages');
  if (messages.length === 0) return invalidRequest("'messages' must contain at least one message.", 'messages');
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index];
    if (!isJsonObject(message)) return invalidRequest(`Invalid type for '${messageParam(index)}': expected object, got ${typeName(message)}.`, messageParam(index));
    if (typeof message.role !== 'string') return invalidRequest(`Missing required parameter: '${messageParam(index)}.role'.`, `${messageParam(index)}.role`);
    if (!ROLES.has(message.role)) return invalidRequest(`Invalid value for '${messageParam(index)}.role': '${message.role}'.`, `${messageParam(index)}.role`);
    const content = message.content;
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
      return invalidRequest(`Invalid type for '${messageParam(index)}.content': expected string or array, got ${typeName(content)}.`, `${messageParam(index)}.content`);
    }
  }
  return null;
}

function validatePromptLike(body: JsonObject, field: 'prompt' | 'input'): GatewayError | null {
  const value = body[field];
  if (value === undefined || value === null) return invalidRequest(`Missing required parameter: '${field}'.`, field);
  if (typeof value === 'string') return null;
  if (!Array.isArray(value)) return invalidRequest(`Invalid type for '${field}': expected string or array, got ${typeName(value)}.`, field);
  if (value.length === 0) return invalidRequest(`'${field}' must not be empty.`, field);
  return null;
}

const COMMON_TYPES: ReadonlyArray<readonly [string, 'number' | 'boolean' | 'string' | 'object' | 'array']> = [
  ['stream', 'boolean'], ['temperature', 'number'], ['top_p', 'number'], ['n', 'number'], ['max_tokens', 'number'],
  ['max_completion_tokens', 'number'], ['presence_penalty', 'number'], ['frequency_penalty', 'number'],
  ['user', 'string'], ['stream_options', 'object'], ['tools', 'array'], ['metadata', 'object'], ['seed', 'number'],
];

/** The same types by field, for one pass over a body's own keys (a lookup per listed name was megamorphic). */
const EXPECTED_TYPES: ReadonlyMap<string, 'number' | 'boolean' | 'string' | 'object' | 'array'> = new Map(COMMON_TYPES);

/** Every typed field the body has holds its type (or null). Reads `body[key]` inside the for-in, where it is a plain field load. */
function typedFieldsMatch(body: JsonObject): boolean {
  for (const key in body) {
    const expected = EXPECTED_TYPES.get(key);
    if (expected === undefined) continue;
    const value = body[key];
    if (value !== undefined && value !== null && typeName(value) !== expected) return false;
  }
  return true;
}

/** Returns the first problem, or null when the body can be forwarded. */
export function validateBody(operation: Operation, body: JsonObject): GatewayError | null {
  if (typeof body.model !== 'string' || body.model === '') {
    return body.model === undefined ? invalidRequest("Missing required parameter: 'model'.", 'model') : invalidRequest("Invalid type for 'model': expected a non-empty string.", 'model');
  }
  const promptProblem =
    operation === 'chat' ? validateMessages(body.messages) : validatePromptLike(body, operation === 'completion' ? 'prompt' : 'input');
  if (promptProblem !== null) return promptProblem;
  // On a mismatch the listed order decides which field is named, as it always has.
  if (!typedFieldsMatch(body)) {
    for (const [field, expected] of COMMON_TYPES) {
      const problem = expectType(body, field, expected);
      if (problem !== null) return problem;
    }
  }
  const maxTokens = body.max_tokens;
  if (typeof maxTokens === 'number' && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
    return invalidRequest("Invalid value for 'max_tokens': expected a positive integer.", 'max_tokens');
  }
  return null;
}
