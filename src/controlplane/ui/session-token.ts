// Signed, stateless UI sessions: the cookie carries who logged in and the CSRF token, authenticated by an HMAC.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type SessionRole = 'admin' | 'key';

export interface Session {
  /** admin: master key, UI_USERNAME/UI_PASSWORD or a proxy_admin key; key: one virtual key, scoped to itself. */
  readonly role: SessionRole;
  /** Who: 'master', the UI username, or the key's token (SHA-256 hex, never the raw key). */
  readonly subject: string;
  /** The CSRF token a state-changing call must echo in `x-csrf-token`. */
  readonly csrf: string;
  /** Expiry, ms since epoch. */
  readonly expiresAt: number;
}

export const SESSION_COOKIE = 'sluice_session';
export const CSRF_COOKIE = 'sluice_csrf';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** The signing secret: UI_SESSION_SECRET, else derived from the master key (so restarts and workers agree). */
export function sessionSecret(masterKey: string, explicit: string | undefined): Buffer {
  if (explicit !== undefined && explicit !== '') return createHmac('sha256', 'sluice-ui-session').update(explicit).digest();
  return createHmac('sha256', 'sluice-ui-session').update(masterKey).digest();
}

export class SessionSigner {
  private readonly secret: Buffer;

  constructor(secret: Buffer) {
    this.secret = secret;
  }

  issue(role: SessionRole, subject: string, now = Date.now()): { session: Session; cookie: string } {
    const session: Session = { role, subject, csrf: randomBytes(18).toString('base64url'), expiresAt: now + SESSION_TTL_MS };
    const payload = Buffer.from(JSON.stringify({ r: role, s: subject, c: session.csrf, e: session.expiresAt })).toString('base64url');
    return { session, cookie: `${payload}.${this.mac(payload)}` };
  }

  /** The session in a cookie value, or null when it is malformed, forged or expired. */
  verify(value: string | undefined, now = Date.now()): Session | null {
    if (value === undefined) return null;
    const dot = value.indexOf('.');
    if (dot <= 0) return null;
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(payload), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    const { r, s, c, e } = parsed as { r?: unknown; s?: unknown; c?: unknown; e?: unknown };
    if ((r !== 'admin' && r !== 'key') || typeof s !== 'string' || typeof c !== 'string' || typeof e !== 'number' || e <= now) return null;
    return { role: r, subject: s, csrf: c, expiresAt: e };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

/** Constant-time string comparison for the CSRF header. */
export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Set-Cookie values for a session: the signed HttpOnly session and the readable CSRF copy (double submit). */
export function sessionCookies(cookie: string, session: Session, secure: boolean): string[] {
  const maxAge = Math.floor((session.expiresAt - Date.now()) / 1000);
  const flags = `Path=/; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
  return [`${SESSION_COOKIE}=${cookie}; HttpOnly; ${flags}`, `${CSRF_COOKIE}=${session.csrf}; ${flags}`];
}

export function clearedCookies(secure: boolean): string[] {
  const flags = `Path=/; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
  return [`${SESSION_COOKIE}=; HttpOnly; ${flags}`, `${CSRF_COOKIE}=; ${flags}`];
}
