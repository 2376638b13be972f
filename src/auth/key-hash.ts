// LiteLLM stores a key as the SHA-256 hex of the raw `sk-…` string (its `hash_token`); so does Sluice.
import { createHash } from 'node:crypto';
import * as crypto from 'node:crypto';

/** `crypto.hash` (Node ≥ 20.12) is the one-shot form: about twice as fast as createHash for short keys. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;

export function hashKey(rawKey: string): string {
  return oneShot === undefined ? createHash('sha256').update(rawKey).digest('hex') : oneShot('sha256', rawKey);
}

/** A value that is already a stored token (64 hex chars) is used as is, as LiteLLM's management API allows. */
export function tokenOf(keyOrToken: string): string {
  return /^[0-9a-f]{64}$/.test(keyOrToken) ? keyOrToken : hashKey(keyOrToken);
}
