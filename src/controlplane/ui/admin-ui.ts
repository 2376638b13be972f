// The admin UI on the control plane: serves /ui, its login/session API, and lets a signed session cookie (with a
// CSRF header on state-changing calls) authenticate the public management API the UI calls. Wraps the management
// handler, so the gateway's route table needs no change and API clients with a key are passed through untouched.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readApiKey } from '../../auth/api-key.js';
import type { GovernanceState } from '../../auth/governance-state.js';
import type { RuntimeSnapshot } from '../../config/snapshot.js';
import { GatewayError, authError, writeError } from '../../core/errors.js';
import type { ManagementHandler } from '../../dataplane/access-control.js';
import { mergeRouterStatus, type ProcessRouterStatus } from '../../router/router-status.js';
import type { Repository } from '../../store/repository.js';
import { isAdminUiPath } from '../control-paths.js';
import { present } from '../management-context.js';
import { configView, deploymentsView } from './config-views.js';
import { scopeKeyCall } from './key-scope.js';
import { LoginChecker } from './login.js';
import { recentDeploymentStats } from './model-stats.js';
import { clearedCookies, readCookie, sameToken, SESSION_COOKIE, sessionCookies, SessionSigner, sessionSecret, type Session } from './session-token.js';
import { defaultUiRoot, StaticAssets } from './static-assets.js';

const MAX_LOGIN_BYTES = 16 * 1024;

export interface AdminUiOptions {
  readonly snapshot: RuntimeSnapshot;
  readonly state: GovernanceState;
  readonly repo: Repository;
  readonly env: NodeJS.ProcessEnv;
  /** Built UI folder; defaults to dist/ui. */
  readonly root?: string | null;
  /** Live routing state of the data plane (every process of it); absent or null: not available here. */
  readonly routerStatus?: () => Promise<readonly ProcessRouterStatus[] | null>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function forbidden(message: string): GatewayError {
  return new GatewayError({ reason: 'auth', status: 403, message, type: 'forbidden' });
}

export class AdminUi implements ManagementHandler {
  private readonly inner: ManagementHandler;
  private readonly assets: StaticAssets;
  private readonly signer: SessionSigner | null;
  private readonly login: LoginChecker | null;
  private readonly masterKey: string | null;
  private readonly options: AdminUiOptions;

  constructor(inner: ManagementHandler, options: AdminUiOptions) {
    this.inner = inner;
    this.options = options;
    this.assets = new StaticAssets(options.root === undefined ? defaultUiRoot() : options.root);
    this.masterKey = options.snapshot.settings.masterKey;
    this.signer = this.masterKey === null ? null : new SessionSigner(sessionSecret(this.masterKey, options.env.UI_SESSION_SECRET));
    this.login = this.masterKey === null ? null : new LoginChecker(this.masterKey, options.env, options.state);
  }

  handles(path: string): boolean {
    return isAdminUiPath(path) || this.inner.handles(path);
  }

  handle(req: IncomingMessage, res: ServerResponse, path: string, query: string): void {
    if (path.startsWith('/ui/api/')) return this.sessionApi(req, res, path);
    if (path === '/ui' || path.startsWith('/ui/')) return this.assets.serve(req, res, path);
    const presentedKey = readApiKey(req.headers);
    const session = presentedKey === null ? this.session(req) : null;
    if (session !== null && req.method !== 'GET' && req.method !== 'HEAD' && !sameToken(String(req.headers['x-csrf-token'] ?? ''), session.csrf)) {
      return writeError(res, forbidden('Missing or wrong x-csrf-token header for a state-changing call from the UI.'));
    }
    if (path === '/v2/model/info' || path === '/config/running') return this.configRoute(req, res, path, presentedKey, session);
    if (session === null) return this.inner.handle(req, res, path, query);
    if (session.role === 'admin') {
      req.headers.authorization = `Bearer ${this.masterKey!}`;
      return this.inner.handle(req, res, path, query);
    }
    const scoped = scopeKeyCall(req.method ?? 'GET', path, new URLSearchParams(query), session.subject, this.options.state);
    if ('refused' in scoped) return writeError(res, forbidden(scoped.refused));
    if ('ownKeyList' in scoped) return this.ownKeyList(res, session.subject);
    req.headers.authorization = `Bearer ${this.masterKey!}`;
    return this.inner.handle(req, res, path, scoped.query.toString());
  }

  private session(req: IncomingMessage): Session | null {
    if (this.signer === null) return null;
    const session = this.signer.verify(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (session === null || session.role === 'admin') return session;
    const key = this.options.state.keys.get(session.subject);
    // A key session ends when its key is deleted, blocked or expires.
    return key === undefined || key.blocked || key.expiresAt <= Date.now() ? null : session;
  }

  private ownKeyList(res: ServerResponse, token: string): void {
    this.options.repo
      .get('key', token)
      .then((row) => sendJson(res, 200, { keys: row === null ? [] : [present(row)], total_count: row === null ? 0 : 1, current_page: 1, total_pages: 1 }))
      .catch((error: unknown) => writeError(res, new GatewayError({ reason: 'internal', status: 500, message: 'Could not read the key.', cause: error })));
  }

  private configRoute(req: IncomingMessage, res: ServerResponse, path: string, presentedKey: string | null, session: Session | null): void {
    const admin = session !== null ? session.role === 'admin' : presentedKey !== null && this.login !== null && (this.login.check({ api_key: presentedKey }) as { role?: string }).role === 'admin';
    if (!admin) return writeError(res, session === null && presentedKey === null ? authError('Authentication Error, No api key passed in.') : forbidden('Only an admin may read the configuration.'));
    if (path === '/config/running') return sendJson(res, 200, configView(this.options.snapshot));
    const live = this.options.routerStatus?.().catch(() => null) ?? Promise.resolve(null);
    Promise.all([recentDeploymentStats(this.options.repo.database).catch(() => new Map()), live])
      .then(([stats, parts]) => sendJson(res, 200, deploymentsView(this.options.snapshot, stats, parts === null ? null : mergeRouterStatus(parts))));
  }

  private sessionApi(req: IncomingMessage, res: ServerResponse, path: string): void {
    const secure = req.headers['x-forwarded-proto'] === 'https' || (req.socket as { encrypted?: boolean }).encrypted === true;
    if (path === '/ui/api/session' && req.method === 'GET') {
      const session = this.session(req);
      if (session === null) return writeError(res, authError('Not logged in.'));
      return sendJson(res, 200, this.describe(session));
    }
    if (path === '/ui/api/logout' && req.method === 'POST') return sendJson(res, 200, { ok: true }, { 'set-cookie': clearedCookies(secure) });
    if (path !== '/ui/api/login' || req.method !== 'POST') return writeError(res, new GatewayError({ reason: 'not_found', status: 404, message: `Unknown UI route ${req.method ?? ''} ${path}` }));
    readSmallJson(req, (fields) => {
      if (this.signer === null || this.login === null) return writeError(res, authError('The admin UI needs a master key (general_settings.master_key or LITELLM_MASTER_KEY).'));
      if (fields === null) return writeError(res, new GatewayError({ reason: 'invalid_request', status: 400, message: 'Login body must be a JSON object.' }));
      const result = this.login.check(fields);
      if (typeof result === 'string') return writeError(res, authError(result));
      const { session, cookie } = this.signer.issue(result.role, result.subject);
      sendJson(res, 200, this.describe(session), { 'set-cookie': sessionCookies(cookie, session, secure) });
    });
  }

  /** What the UI shows about who is logged in; never the raw key. */
  private describe(session: Session): Record<string, unknown> {
    if (session.role === 'admin') return { role: 'admin', user: session.subject === 'master' ? 'master key' : session.subject, csrf: session.csrf, expires_at: new Date(session.expiresAt).toISOString() };
    const key = this.options.state.keys.get(session.subject);
    return {
      role: 'key', user: key?.alias ?? 'virtual key', token: session.subject, key_alias: key?.alias ?? null,
      team_id: key?.teamId ?? null, user_id: key?.userId ?? null, csrf: session.csrf, expires_at: new Date(session.expiresAt).toISOString(),
    };
  }
}

function readSmallJson(req: IncomingMessage, done: (fields: Record<string, unknown> | null) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_LOGIN_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_LOGIN_BYTES) return done(null);
    try {
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      done(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null);
    } catch {
      done(null);
    }
  });
}
