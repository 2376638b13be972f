// The management API's HTTP side: reads the body, checks the caller is the master key or an admin key, runs the route.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readApiKey, SecretMatcher } from '../auth/api-key.js';
import type { ChangePublisher } from '../auth/change-bus.js';
import type { GovernanceState } from '../auth/governance-state.js';
import { hashKey } from '../auth/key-hash.js';
import { GatewayError, authError, toGatewayError, writeError } from '../core/errors.js';
import { isJsonObject } from '../core/json.js';
import type { ManagementHandler } from '../dataplane/access-control.js';
import { logger } from '../logging/logger.js';
import type { ChangeKind, Repository } from '../store/repository.js';
import { isRegeneratePath } from './control-paths.js';
import type { ManagementContext, ManagementRoute } from './management-context.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** Tells the data plane (when it runs in another process) that an entity changed; resolves once it has reloaded it. */
export type ChangeAnnouncer = (kind: ChangeKind, id: string, logId: string) => Promise<void>;

export class ManagementApi implements ManagementHandler {
  private readonly routes: ReadonlyMap<string, { method: 'GET' | 'POST' | 'ANY'; run: ManagementRoute }>;
  private readonly master: SecretMatcher | null;
  private readonly repo: Repository;
  private readonly state: GovernanceState;
  /** Redis pub/sub, when configured: other instances reload at once instead of at their next poll. */
  private readonly publisher: ChangePublisher | null;
  private readonly announce: ChangeAnnouncer | null;

  constructor(
    routes: ReadonlyMap<string, { method: 'GET' | 'POST' | 'ANY'; run: ManagementRoute }>, repo: Repository, state: GovernanceState, masterKey: string | null,
    publisher: ChangePublisher | null = null, announce: ChangeAnnouncer | null = null,
  ) {
    this.routes = routes;
    this.announce = announce;
    this.repo = repo;
    this.state = state;
    this.master = masterKey === null ? null : new SecretMatcher(masterKey);
    this.publisher = publisher;
  }

  handles(path: string): boolean {
    return this.routes.has(path) || isRegeneratePath(path);
  }

  handle(req: IncomingMessage, res: ServerResponse, path: string, query: string): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      this.run(req, path, query, size > MAX_BODY_BYTES ? null : Buffer.concat(chunks))
        .then((result) => {
          const body = JSON.stringify(result ?? null);
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        })
        .catch((error: unknown) => {
          const gatewayError = toGatewayError(error);
          if (gatewayError.reason === 'internal') logger.error({ err: error, path }, 'management request failed');
          writeError(res, gatewayError);
        });
    });
  }

  private caller(req: IncomingMessage): string {
    if (this.master === null) throw authError('Management API is disabled: no master_key is configured (general_settings.master_key or LITELLM_MASTER_KEY).');
    const key = readApiKey(req.headers);
    if (key === null) throw authError('Authentication Error, No api key passed in.');
    if (this.master.matches(key)) return 'master';
    const token = hashKey(key);
    const entity = this.state.keys.get(token);
    const user = entity?.userId === null || entity === undefined ? undefined : this.state.users.get(entity.userId);
    if (user?.role === 'proxy_admin') return token;
    throw authError('Authentication Error, only the master key or a proxy_admin key may call the management API.');
  }

  private async run(req: IncomingMessage, path: string, query: string, raw: Buffer | null): Promise<unknown> {
    const caller = this.caller(req);
    if (raw === null) throw new GatewayError({ reason: 'payload_too_large', status: 413, message: 'Request body too large.' });
    let routePath = path;
    let body: Record<string, unknown> = {};
    if (raw.length > 0) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new GatewayError({ reason: 'invalid_request', status: 400, message: 'Malformed JSON in request body.' });
      }
      if (!isJsonObject(parsed)) throw new GatewayError({ reason: 'invalid_request', status: 400, message: 'Request body must be a JSON object.' });
      body = parsed;
    }
    const regenerate = /^\/key\/([^/]+)\/regenerate$/.exec(path);
    if (regenerate !== null) {
      routePath = '/key/regenerate';
      body.key ??= decodeURIComponent(regenerate[1]!);
    }
    const route = this.routes.get(routePath)!;
    if (route.method !== 'ANY' && req.method !== route.method) {
      throw new GatewayError({ reason: 'method_not_allowed', status: 405, message: `Method ${req.method ?? ''} not allowed on ${path}; use ${route.method}.` });
    }
    const ctx: ManagementContext = {
      body, query: new URLSearchParams(query), repo: this.repo, state: this.state, caller,
      changed: async (kind: ChangeKind, id: string) => {
        const logId = await this.repo.recordChange(kind, id);
        this.state.markApplied(logId);
        await this.state.reload(kind, id);
        this.publisher?.publish(kind, id, logId);
        // Before the answer leaves: the data plane enforces the change by the time the client reads the response.
        await this.announce?.(kind, id, logId);
      },
    };
    return route.run(ctx);
  }
}
