// Reads a Google service-account key (`vertex_credentials` as JSON text or a file path, or GOOGLE_APPLICATION_CREDENTIALS) once at start-up.
import { readFileSync } from 'node:fs';
import { isJsonObject } from '../../core/json.js';

export interface ServiceAccount {
  clientEmail: string;
  privateKey: string;
  privateKeyId: string | undefined;
  tokenUri: string;
}

const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

/** Throws a message naming what is wrong; the config loader reports it with the entry's path. */
export function loadServiceAccount(source: string): ServiceAccount {
  const text = source.trimStart().startsWith('{') ? source : readFileSync(source, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('vertex_credentials is neither service-account JSON nor a readable JSON file');
  }
  if (!isJsonObject(parsed) || typeof parsed.client_email !== 'string' || typeof parsed.private_key !== 'string') {
    throw new Error('vertex_credentials must be a service-account key with client_email and private_key');
  }
  return {
    clientEmail: parsed.client_email,
    privateKey: parsed.private_key,
    privateKeyId: typeof parsed.private_key_id === 'string' ? parsed.private_key_id : undefined,
    tokenUri: typeof parsed.token_uri === 'string' ? parsed.token_uri : GOOGLE_TOKEN_URI,
  };
}
