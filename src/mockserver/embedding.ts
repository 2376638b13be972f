// Deterministic embeddings where texts sharing words get similar vectors, so semantic caches can be tested.
import { endianness } from 'node:os';

const WORD = /[\p{L}\p{N}]+/gu;
const LITTLE_ENDIAN = endianness() === 'LE';

/** Hashed bag of lower-case words into `dims` signed buckets, L2-normalised. */
export function embedText(text: string, dims: number): Float32Array {
  const vector = new Float32Array(dims);
  const lower = text.toLowerCase();
  WORD.lastIndex = 0;
  for (let m = WORD.exec(lower); m !== null; m = WORD.exec(lower)) addWord(vector, m[0]);
  return normalise(vector);
}

/** Token-id input (OpenAI accepts arrays of token ids): each id counts as one word. */
export function embedTokens(tokens: readonly unknown[], dims: number): Float32Array {
  const vector = new Float32Array(dims);
  for (const token of tokens) addWord(vector, `#${String(token)}`);
  return normalise(vector);
}

/** Little-endian float32 bytes in base64, which is what OpenAI's `encoding_format: "base64"` returns. */
export function toBase64(vector: Float32Array): string {
  if (LITTLE_ENDIAN) return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i], i * 4);
  return bytes.toString('base64');
}

export function toArray(vector: Float32Array): number[] {
  return Array.from(vector);
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length && i < b.length; i++) dot += a[i] * b[i];
  return dot;
}

function addWord(vector: Float32Array, word: string): void {
  const hash = fnv1a(word);
  vector[hash % vector.length] += (hash >>> 16) & 1 ? -1 : 1;
}

function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  if (sum === 0) {
    // Empty input still gets a unit vector so cosine similarity stays defined.
    if (vector.length > 0) vector[0] = 1;
    return vector;
  }
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i] *= scale;
  return vector;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
