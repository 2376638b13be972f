// Reads the caller's key from the headers LiteLLM accepts, and compares secrets in constant time.
import type { IncomingHttpHeaders } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

const BEARER = 'bearer ';

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `Authorization: Bearer`, `x-api-key`, `api-key`, `x-goog-api-key`, `x-litellm-api-key`, in that order. */
export function readApiKey(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization;
  if (authorization !== undefined && authorization.length > BEARER.length && authorization.slice(0, BEARER.length).toLowerCase() === BEARER) {
    return authorization.slice(BEARER.length).trim();
  }
  const key = single(headers['x-api-key']) ?? single(headers['api-key']) ?? single(headers['x-goog-api-key']) ?? single(headers['x-litellm-api-key']);
  if (key !== undefined && key !== '') return key.startsWith('Bearer ') ? key.slice(7).trim() : key.trim();
  return null;
}

/** Compares a presented key with the expected one without leaking where they differ. */
export class SecretMatcher {
  private readonly expected: Buffer;

  constructor(secret: string) {
    this.expected = Buffer.from(secret, 'utf8');
  }

  matches(presented: string): boolean {
    // timingSafeEqual needs equal lengths; a key's length is not the secret, its bytes are. Virtual keys reach here
    // on every request, and most differ in length: no buffer is made for them.
    if (Buffer.byteLength(presented, 'utf8') !== this.expected.length) return false;
    return timingSafeEqual(Buffer.from(presented, 'utf8'), this.expected);
  }
}
