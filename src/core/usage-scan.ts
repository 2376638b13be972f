// Reads the counters of a usage object straight from its bytes. JSON.parse of a typical OpenAI usage object (three
// nested objects, a dozen keys) cost ~2.4 µs per request, most of extractUsage; this reads the same fields in a
// fraction of that. It handles what providers send: plain keys, integer counters, nested detail objects. Anything
// else it meets (an escaped key, a counter that is not a plain integer, a details value that is not an object, a
// structure it cannot follow) makes it return null, and the caller parses the object the slow way: for well-formed
// JSON the result is always what usageFromOpenAI(JSON.parse(…)) gives (values it skips are not validated).
import type { Usage } from './usage.js';

// Module-local on purpose (raw-body-forward.ts has the same): an imported ESM binding is a live cell that TurboFan
// loads on every comparison in the loops below, a local const folds to the number (scanUsage ran ~2x slower with
// these imported, under tsx).
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** Scanner state: a position in the buffer, -1 once anything unexpected was met. */
class Cursor {
  /** buffer.length, read once: a typed array's length is a getter the loops below would call per byte. */
  readonly end: number;

  constructor(
    readonly buffer: Buffer,
    public at: number,
  ) {
    this.end = buffer.length;
  }

  skipSpace(): void {
    const buffer = this.buffer;
    let at = this.at;
    while (at < this.end) {
      const byte = buffer[at]!;
      if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) break;
      at++;
    }
    this.at = at;
  }

  /** Start and end of the last key read (its bytes between the quotes). */
  keyStart = 0;
  keyEnd = 0;

  /** Reads a key without escapes into keyStart/keyEnd; false (and the cursor failed) otherwise. */
  key(): boolean {
    const buffer = this.buffer;
    if (buffer[this.at] !== QUOTE) return this.fail() !== null;
    const start = this.at + 1;
    let at = start;
    while (at < this.end && buffer[at] !== QUOTE) {
      if (buffer[at] === BACKSLASH) return this.fail() !== null;
      at++;
    }
    if (at >= this.end) return this.fail() !== null;
    this.keyStart = start;
    this.keyEnd = at;
    this.at = at + 1;
    return true;
  }

  /** Which of `names` the last key is (its index), or -1; compares bytes, so no string is made per key. */
  keyIndex(names: readonly Buffer[]): number {
    const buffer = this.buffer;
    const start = this.keyStart;
    const length = this.keyEnd - start;
    for (let index = 0; index < names.length; index++) {
      const name = names[index]!;
      if (name.length !== length) continue;
      let same = true;
      for (let offset = 0; offset < length; offset++) {
        if (buffer[start + offset] !== name[offset]) {
          same = false;
          break;
        }
      }
      if (same) return index;
    }
    return -1;
  }

  /**
   * A counter's value: a plain non-negative integer, or NaN for null. Anything else fails the scan (a negative or
   * fractional count, a string counter that usageFromOpenAI counts as 0 yet that hides `?? other`, invalid JSON).
   */
  counter(): number {
    const buffer = this.buffer;
    const start = this.at;
    if (buffer[start] === 0x6e) {
      if (buffer[start + 1] !== 0x75 || buffer[start + 2] !== 0x6c || buffer[start + 3] !== 0x6c || start + 4 > this.end) return this.failNumber();
      this.at = start + 4;
      return Number.NaN;
    }
    let at = start;
    let value = 0;
    while (at < this.end) {
      const byte = buffer[at]!;
      if (byte < 0x30 || byte > 0x39) break;
      value = value * 10 + (byte - 0x30);
      at++;
    }
    const digits = at - start;
    // No digits, a leading zero (invalid JSON), more digits than a double holds exactly, or a fraction/exponent next.
    if (digits === 0 || (digits > 1 && buffer[start] === 0x30) || digits > 15) return this.failNumber();
    const next = buffer[at];
    if (next === 0x2e || next === 0x65 || next === 0x45) return this.failNumber();
    this.at = at;
    return value;
  }

  /** Skips any JSON value (string, number, literal, object, array) without reading it. */
  skipValue(): void {
    const buffer = this.buffer;
    let at = this.at;
    let depth = 0;
    while (at < this.end) {
      const byte = buffer[at]!;
      if (byte === QUOTE) {
        at++;
        while (at < this.end && buffer[at] !== QUOTE) at += buffer[at] === BACKSLASH ? 2 : 1;
        if (at >= this.end) break;
        at++;
        if (depth === 0) {
          this.at = at;
          return;
        }
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (depth === 0) break;
        depth--;
        if (depth === 0) {
          this.at = at + 1;
          return;
        }
      } else if (depth === 0 && (byte === COMMA || byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09)) break;
      at++;
    }
    if (depth !== 0 || at === this.at) {
      this.fail();
      return;
    }
    this.at = at;
  }

  fail(): null {
    this.at = -1;
    return null;
  }

  private failNumber(): number {
    this.at = -1;
    return Number.NaN;
  }

  get failed(): boolean {
    return this.at < 0;
  }
}

/**
 * Moves the cursor onto the next key's value inside an object: call with the cursor on `{` (first) or just past a
 * value (next). Returns true with the key in keyStart/keyEnd, false at the object's end or (cursor failed) on text of
 * another form.
 */
function nextMember(cursor: Cursor, first: boolean): boolean {
  const buffer = cursor.buffer;
  cursor.skipSpace();
  if (first) {
    if (buffer[cursor.at] !== OPEN_BRACE) return cursor.fail() !== null;
    cursor.at++;
    cursor.skipSpace();
    if (buffer[cursor.at] === CLOSE_BRACE) {
      cursor.at++;
      return false;
    }
  } else {
    const next = buffer[cursor.at];
    cursor.at++;
    if (next === CLOSE_BRACE) return false;
    if (next !== COMMA) return cursor.fail() !== null;
    cursor.skipSpace();
  }
  if (!cursor.key()) return false;
  cursor.skipSpace();
  if (buffer[cursor.at] !== COLON) return cursor.fail() !== null;
  cursor.at++;
  cursor.skipSpace();
  return true;
}

/** The counters read into `counters`, by index; NaN marks one absent or null (usageFromOpenAI treats both alike). */
const COUNTER_KEYS = ['prompt_tokens', 'input_tokens', 'completion_tokens', 'output_tokens', 'total_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const;
const PROMPT = 0;
const INPUT = 1;
const COMPLETION = 2;
const OUTPUT = 3;
const TOTAL = 4;
const CACHE_READ = 5;
const CACHE_CREATION = 6;
/** The details objects whose cached_tokens count, in `??` order (prompt_tokens_details first). */
const DETAILS_KEYS = ['prompt_tokens_details', 'input_tokens_details'] as const;
const TOP_LEVEL = [...COUNTER_KEYS, ...DETAILS_KEYS].map((name) => Buffer.from(name));
const DETAILS = [Buffer.from('cached_tokens')];

/** A details object's cached_tokens (0 when it has none); null for null; the cursor fails on any other value. */
function detailsCached(cursor: Cursor): number | null {
  const buffer = cursor.buffer;
  if (buffer[cursor.at] === 0x6e) {
    cursor.counter();
    return null;
  }
  // An array or a scalar: usageFromOpenAI falls back to cache_read_input_tokens only for those; let it decide.
  if (buffer[cursor.at] !== OPEN_BRACE) return cursor.fail();
  let cached = 0;
  for (let first = true; nextMember(cursor, first); first = false) {
    if (cursor.keyIndex(DETAILS) === 0) {
      const value = cursor.counter();
      cached = Number.isNaN(value) ? 0 : value;
    } else cursor.skipValue();
    if (cursor.failed) return null;
  }
  return cached;
}

/** A counter's value, or 0 when it was absent or null. */
function orZero(value: number): number {
  return Number.isNaN(value) ? 0 : value;
}

/** The usage object starting at `start` (its `{`); null when the slow path must decide (or it does not close). */
export function scanUsage(buffer: Buffer, start: number): Usage | null {
  const cursor = new Cursor(buffer, start);
  const counters = new Float64Array(COUNTER_KEYS.length).fill(Number.NaN);
  /** cached_tokens of each details object; null when that key is absent or null. */
  const detailsCachedTokens: Array<number | null> = [null, null];
  for (let first = true; nextMember(cursor, first); first = false) {
    const index = cursor.keyIndex(TOP_LEVEL);
    if (index === -1) cursor.skipValue();
    else if (index < COUNTER_KEYS.length) counters[index] = cursor.counter();
    else detailsCachedTokens[index - COUNTER_KEYS.length] = detailsCached(cursor);
    if (cursor.failed) return null;
  }
  if (cursor.failed) return null;
  const promptTokens = orZero(Number.isNaN(counters[PROMPT]!) ? counters[INPUT]! : counters[PROMPT]!);
  const completionTokens = orZero(Number.isNaN(counters[COMPLETION]!) ? counters[OUTPUT]! : counters[COMPLETION]!);
  const details = detailsCachedTokens[0] ?? detailsCachedTokens[1];
  return {
    promptTokens,
    completionTokens,
    totalTokens: orZero(counters[TOTAL]!) || promptTokens + completionTokens,
    cachedPromptTokens: details ?? orZero(counters[CACHE_READ]!),
    cacheCreationTokens: orZero(counters[CACHE_CREATION]!),
  };
}
