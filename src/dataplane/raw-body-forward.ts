// Forwards the client's own bytes when the upstream body would differ from them only in `model`: the common case for
// OpenAI-compatible deployments. Re-serialising a 1 KB chat body with JSON.stringify (and undici encoding that
// string again) was the largest piece of JavaScript on the hot path, ~4 µs and ~3.5 KB of garbage per request;
// splicing the upstream model name into the client's bytes costs a scan that mostly runs in native memchr.
//
// Safety, in order: the request's bytes are valid UTF-8 (otherwise parsing replaced bytes that must not go upstream);
// the top-level object holds exactly one `"model"` key, spelled without escapes, whose value is a plain string equal
// to the parsed one (so no duplicate or escaped key can make the upstream see another model); and the attempt's body
// has the same top-level keys and values (by identity) as the body had when it was parsed, but for `model` and, on a
// stream the client sent without `stream_options`, the `{"include_usage":true}` Sluice adds to price it (appended
// before the closing brace). Anything else falls back to JSON.stringify.
import { isUtf8 } from 'node:buffer';
import type { JsonObject } from '../core/json.js';

/** Where the top-level `model` value (quotes included) sits in the request bytes, and the object's closing brace. */
export interface ModelSpan {
  start: number;
  end: number;
  close: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Strings longer than this are searched natively (memchr) past their first bytes; shorter ones byte by byte in JS. */
const SHORT_STRING = 32;

/**
 * Index of the quote closing the string whose opening quote is at `open`, or -1. Chat bodies are mostly many short
 * strings (roles, keys) and a few long ones (message content): a JS loop beats a native call per short string, and
 * indexOf beats the loop on long ones.
 */
function closingQuote(raw: Buffer, open: number): number {
  const shortEnd = Math.min(raw.length, open + 1 + SHORT_STRING);
  let at = open + 1;
  for (; at < shortEnd; at++) {
    const byte = raw[at]!;
    if (byte === BACKSLASH) at++;
    else if (byte === QUOTE) return at;
  }
  if (at >= raw.length) return -1;
  // `at` may sit just past an escape's backslash; step back so an escaped quote there is seen as escaped.
  at--;
  for (;;) {
    at = raw.indexOf(QUOTE, at + 1);
    if (at === -1) return -1;
    let backslashes = 0;
    while (raw[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/** True when raw[from, to) holds a backslash (short ranges: keys and model names). */
function hasBackslash(raw: Buffer, from: number, to: number): boolean {
  for (let at = from; at < to; at++) if (raw[at] === BACKSLASH) return true;
  return false;
}

/** raw[from, to) is exactly `model`. */
function isModelKey(raw: Buffer, from: number, to: number): boolean {
  return to - from === 5 && raw[from] === 0x6d && raw[from + 1] === 0x6f && raw[from + 2] === 0x64 && raw[from + 3] === 0x65 && raw[from + 4] === 0x6c;
}

/** The `: "<string>"` after the model key ending at `afterKey`: its value's span (close unset), or null when the value is not a string without escapes. */
function modelValueSpan(raw: Buffer, afterKey: number): ModelSpan | null {
  let value = afterKey;
  while (value < raw.length && isWhitespace(raw[value]!)) value++;
  if (raw[value] !== COLON) return null;
  value++;
  while (value < raw.length && isWhitespace(raw[value]!)) value++;
  if (raw[value] !== QUOTE) return null;
  const valueClose = closingQuote(raw, value);
  if (valueClose === -1 || hasBackslash(raw, value + 1, valueClose)) return null;
  return { start: value, end: valueClose + 1, close: -1 };
}

/**
 * The span of the top-level `"model": "<string>"` value, or null when the bytes are not one JSON object whose only
 * top-level `model` key (and no escaped key at that level) holds a string without escapes.
 */
export function findModelSpan(raw: Buffer): ModelSpan | null {
  let at = 0;
  while (at < raw.length && isWhitespace(raw[at]!)) at++;
  if (raw[at] !== OPEN_OBJECT) return null;
  let depth = 0;
  /** At depth 1, the next string is a key (after `{` or `,`). */
  let expectKey = false;
  let span: ModelSpan | null = null;
  for (; at < raw.length; at++) {
    const byte = raw[at]!;
    if (byte === QUOTE) {
      const close = closingQuote(raw, at);
      if (close === -1) return null;
      if (depth === 1 && expectKey) {
        expectKey = false;
        // An escaped key could spell `model` (`"mod\u0065l"`) where this scan would not see it.
        if (hasBackslash(raw, at + 1, close)) return null;
        if (isModelKey(raw, at + 1, close)) {
          if (span !== null) return null;
          span = modelValueSpan(raw, close + 1);
          if (span === null) return null;
          at = span.end - 1;
          continue;
        }
      }
      at = close;
    } else if (byte === OPEN_OBJECT) {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (byte === OPEN_ARRAY) depth++;
    else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) break;
    } else if (byte === COMMA && depth === 1) expectKey = true;
  }
  if (depth !== 0 || span === null || raw[at] !== CLOSE_OBJECT) return null;
  span.close = at;
  return span;
}

const MODEL_KEY = Buffer.from('"model"');
const UNICODE_ESCAPE = Buffer.from('\\u');

/**
 * findModelSpan for bytes already known to parse as a JSON object with a top-level `model` string, in native
 * searches instead of a byte-by-byte scan (the scan was ~14k instructions for a 1 KB chat body, the largest single
 * piece of Sluice's own work per request). When the bytes hold `"model"` exactly once and no `\u` escape at all,
 * that occurrence is the top-level key: the key must appear somewhere, plainly spelled (only a `\u` escape could
 * spell its letters otherwise), and in valid JSON a `"model"` whose first quote is escaped sits inside another
 * string, which would need a second occurrence for the key itself. Anything else goes to the full scan.
 */
export function findParsedModelSpan(raw: Buffer): ModelSpan | null {
  const key = raw.indexOf(MODEL_KEY);
  if (key === -1 || raw.indexOf(MODEL_KEY, key + MODEL_KEY.length) !== -1 || raw.indexOf(UNICODE_ESCAPE) !== -1) return findModelSpan(raw);
  const span = modelValueSpan(raw, key + MODEL_KEY.length);
  if (span === null) return null;
  // A parsed object's last byte but trailing whitespace is its closing brace.
  let close = raw.length - 1;
  while (close >= span.end && isWhitespace(raw[close]!)) close--;
  if (raw[close] !== CLOSE_OBJECT) return findModelSpan(raw);
  span.close = close;
  return span;
}

/** What requestStreamUsage (stream-usage-filter.ts) sets when the client sent no `stream_options`, as bytes. */
const STREAM_USAGE_MEMBER = Buffer.from(',"stream_options":{"include_usage":true}');

/** `value` is exactly `{ include_usage: true }`. */
function isIncludeUsageOnly(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  let keys = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (++keys > 1 || key !== 'include_usage') return false;
  }
  return keys === 1 && (value as { include_usage?: unknown }).include_usage === true;
}

/** What onBody keeps of an eligible request: its bytes and its top-level fields as parsed. */
export interface RawBody {
  bytes: Buffer;
  /** A shallow copy taken at parse time: later in-place changes to the body show up as differences. */
  parsed: JsonObject;
  keyCount: number;
  /** undefined until the first attempt looks for it. */
  modelSpan: ModelSpan | null | undefined;
}

export function keepRawBody(bytes: Buffer, parsed: JsonObject): RawBody | null {
  if (typeof parsed.model !== 'string' || !isUtf8(bytes)) return null;
  const copy = { ...parsed };
  return { bytes, parsed: copy, keyCount: Object.keys(copy).length, modelSpan: undefined };
}

/**
 * The client's bytes with `model` replaced (and the stream usage request appended), when `upstream` differs from the
 * parsed body only there; else null.
 */
export function splicedBody(raw: RawBody, upstream: JsonObject): Buffer | null {
  const parsed = raw.parsed;
  let keyCount = 0;
  let addsStreamUsage = false;
  for (const key in upstream) {
    if (!Object.hasOwn(upstream, key)) continue;
    const value = upstream[key];
    if (key === 'model' || value === parsed[key]) keyCount++;
    else if (key === 'stream_options' && !Object.hasOwn(parsed, key) && isIncludeUsageOnly(value)) addsStreamUsage = true;
    else return null;
  }
  const model = upstream.model;
  if (keyCount !== raw.keyCount || typeof model !== 'string') return null;
  if (raw.modelSpan === undefined) {
    const span = findParsedModelSpan(raw.bytes);
    raw.modelSpan = span !== null && raw.bytes.toString('utf8', span.start + 1, span.end - 1) === parsed.model ? span : null;
  }
  const span = raw.modelSpan;
  if (span === null) return null;
  const bytes = raw.bytes;
  const name = JSON.stringify(model);
  const nameLength = Buffer.byteLength(name);
  const added = addsStreamUsage ? STREAM_USAGE_MEMBER.length : 0;
  const out = Buffer.allocUnsafe(bytes.length - (span.end - span.start) + nameLength + added);
  bytes.copy(out, 0, 0, span.start);
  out.write(name, span.start);
  if (!addsStreamUsage) {
    bytes.copy(out, span.start + nameLength, span.end);
    return out;
  }
  // The new member goes right before the closing brace; whatever followed the brace (whitespace) stays after it.
  let at = span.start + nameLength + bytes.copy(out, span.start + nameLength, span.end, span.close);
  at += STREAM_USAGE_MEMBER.copy(out, at);
  bytes.copy(out, at, span.close);
  return out;
}
