// OAuth access tokens for Vertex AI from a service account (JWT-bearer grant via jose), cached and refreshed in the background.
// jose is imported on the first token fetch, so gateways without Vertex never load it.
import type { importPKCS8 } from 'jose';
import { GatewayError } from '../../core/errors.js';
import type { ServiceAccount } from './vertex-credentials.js';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** Refresh this long before expiry, in the background; a token this close to expiry is still used meanwhile. */
const REFRESH_BEFORE_MS = 5 * 60_000;
/** A token this close to expiry is not used: the request waits for a fresh one. */
const STALE_BEFORE_MS = 30_000;

export class VertexTokenSource {
  private readonly account: ServiceAccount;
  private key: Awaited<ReturnType<typeof importPKCS8>> | null = null;
  private header: string | null = null;
  private expiresAt = 0;
  private pending: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(account: ServiceAccount) {
    this.account = account;
  }

  /** Sets `authorization` now when a fresh token is cached (undefined), else returns the wait for one. */
  authorize(headers: Record<string, string>): Promise<void> | undefined {
    const now = Date.now();
    if (this.header !== null && now < this.expiresAt - STALE_BEFORE_MS) {
      headers.authorization = this.header;
      if (now > this.expiresAt - REFRESH_BEFORE_MS) void this.refresh().catch(ignore);
      return undefined;
    }
    return this.refresh().then(() => {
      headers.authorization = this.header!;
    });
  }

  /** One token request at a time; concurrent callers share it. */
  refresh(): Promise<void> {
    if (this.pending === null) {
      this.pending = this.fetchToken().finally(() => {
        this.pending = null;
      });
    }
    return this.pending;
  }

  private async fetchToken(): Promise<void> {
    const account = this.account;
    const { SignJWT, importPKCS8: importKey } = await import('jose');
    this.key ??= await importKey(account.privateKey, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(account.privateKeyId === undefined ? {} : { kid: account.privateKeyId }) })
      .setIssuer(account.clientEmail)
      .setAudience(account.tokenUri)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(this.key);
    const response = await fetch(account.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
    }).catch((error: unknown) => {
      throw new GatewayError({ reason: 'upstream_unreachable', status: 502, message: `Could not reach the Vertex AI token endpoint: ${(error as Error).message}`, cause: error });
    });
    const text = await response.text();
    let token: { access_token?: unknown; expires_in?: unknown } = {};
    try {
      token = JSON.parse(text) as typeof token;
    } catch {
      // handled below
    }
    if (!response.ok || typeof token.access_token !== 'string') {
      throw new GatewayError({ reason: 'auth', status: 401, type: 'auth_error', message: `Vertex AI credentials were refused by ${account.tokenUri}: ${text.slice(0, 500)}` });
    }
    const lifetimeMs = (typeof token.expires_in === 'number' ? token.expires_in : 3600) * 1000;
    this.header = `Bearer ${token.access_token}`;
    this.expiresAt = Date.now() + lifetimeMs;
    this.schedule(lifetimeMs - REFRESH_BEFORE_MS);
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh().catch(ignore), Math.max(delayMs, 1000));
    this.timer.unref();
  }
}

function ignore(): void {
  // A failed background refresh is retried by the next request, which then waits and reports the error.
}
