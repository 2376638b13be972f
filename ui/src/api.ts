// The UI's only way to the server: the public management API, authenticated by the session cookie, with the
// CSRF token echoed in a header on every state-changing call.
export interface SessionInfo {
  role: 'admin' | 'key';
  user: string;
  csrf: string;
  token?: string;
  key_alias?: string | null;
  team_id?: string | null;
  user_id?: string | null;
}

let csrf = '';

export function setCsrf(token: string): void {
  csrf = token;
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    headers['x-csrf-token'] = csrf;
  }
  const response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json: unknown = text === '' ? null : JSON.parse(text);
  if (!response.ok) {
    const message = (json as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${response.status}`;
    if (response.status === 401) window.dispatchEvent(new CustomEvent('sluice:unauthorized'));
    throw new ApiError(response.status, message);
  }
  return json as T;
}

export function get<T>(path: string, params: Record<string, string | number | undefined | null> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  const qs = query.toString();
  return call<T>('GET', qs === '' ? path : `${path}?${qs}`);
}

export function post<T>(path: string, body: unknown): Promise<T> {
  return call<T>('POST', path, body);
}
