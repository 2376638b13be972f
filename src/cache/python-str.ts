// Python's str()/repr() of JSON values: LiteLLM builds its cache key text with them, so Sluice's keys match its.
import type { JsonValue } from '../core/json.js';

/** Python's repr() of a str: single quotes unless the text has ' and no ", escapes for control characters. */
export function pythonStringRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (let index = 0; index < value.length; index++) {
    const char = value[index]!;
    const code = value.charCodeAt(index);
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return out + quote;
}

const EXPONENT = /e([+-])(\d)$/;

function pythonNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const text = String(value);
  // JS writes 1e-7, Python 1e-07.
  const found = EXPONENT.exec(text);
  return found === null ? text : `${text.slice(0, found.index)}e${found[1]}0${found[2]}`;
}

/** Python's repr() of a parsed JSON value (dicts keep insertion order, as Python's do). */
export function pythonRepr(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonStringRepr(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) out += (index === 0 ? '' : ', ') + pythonRepr(value[index]);
    return out + ']';
  }
  let out = '{';
  let first = true;
  for (const key in value) {
    const item = value[key];
    if (item === undefined) continue;
    out += (first ? '' : ', ') + pythonStringRepr(key) + ': ' + pythonRepr(item);
    first = false;
  }
  return out + '}';
}

/** Python's str(): like repr() except a top-level str is itself. */
export function pythonStr(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}
