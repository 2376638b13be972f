// Splits a configured base URL into the connection-pool origin and a path prefix, once per deployment.
export interface SplitUrl {
  origin: string;
  /** Path prefix without trailing slash ('' for a bare origin). */
  basePath: string;
}

export function splitApiBase(apiBase: string): SplitUrl {
  const url = new URL(apiBase);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`api_base must be http(s), got ${url.protocol}`);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}
