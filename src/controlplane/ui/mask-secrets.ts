// Masks secrets before any config, deployment or log leaves the control plane: key-like fields and URL credentials.
const SECRET_NAME = /(^|_)(key|api_key|secret|token|password|passwd|credential|credentials|authorization|auth)$|secret|password|api_key|access_key|private_key/i;
const URL_SECRET_PARAM = /([?&](?:key|api_key|api-key|token|access_token|sig|signature|code)=)[^&#]*/gi;

/** `sk-abc…` → `sk-…wxyz`-style hint that identifies without revealing; short values are fully hidden. */
export function maskValue(value: string): string {
  if (value.startsWith('os.environ/')) return value;
  return value.length < 16 ? '********' : `${value.slice(0, 3)}…${value.slice(-4)}`;
}

/** Removes the user:password part and secret query parameters of a URL. */
export function maskUrl(url: string): string {
  return url.replace(/\/\/[^/@\s]+@/, '//****@').replace(URL_SECRET_PARAM, '$1****');
}

/** A deep copy with every secret-named string masked and every URL-looking string's credentials removed. */
export function maskSecrets(value: unknown, name = ''): unknown {
  if (typeof value === 'string') {
    if (name !== '' && SECRET_NAME.test(name) && !/_(id|alias|name|limit|tokens?_?count)$/i.test(name)) return maskValue(value);
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? maskUrl(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, name));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = maskSecrets(inner, key);
    return out;
  }
  return value;
}
