// Composition root for keys, limits, spend and the management API: opens the store, loads the key cache,
// starts the change poller and the spend writer, and hands the gateway its AccessControl and observers.
import { randomUUID } from 'node:crypto';
import { AccessController } from '../auth/access-controller.js';
import { ChangeBus } from '../auth/change-bus.js';
import type { Entity } from '../auth/entities.js';
import { GovernanceState } from '../auth/governance-state.js';
import type { RuntimeSnapshot } from '../config/snapshot.js';
import type { ChangeAnnouncer } from '../controlplane/management-api.js';
import type { AccessControl, ManagementHandler } from '../dataplane/access-control.js';
import type { RequestObserver } from '../dataplane/request-outcome.js';
import type { Role } from '../dataplane/routes.js';
import { registerReadinessProbe } from '../health/readiness-probes.js';
import { logger } from '../logging/logger.js';
import { ModelBudgetSync } from '../limits/model-budget-sync.js';
import { RedisLimiter } from '../limits/redis-limiter.js';
import type { ProcessRouterStatus } from '../router/router-status.js';
import { resolveRedis } from '../limits/redis-options.js';
import { SpendBatchWriter } from '../spend/batch-writer.js';
import { SpendRecorder } from '../spend/spend-recorder.js';
import { SPEND_CHANGE_ID_PREFIX } from '../spend/spend-statements.js';
import { openDatabase, resolveDatabaseUrl, type Database } from '../store/database.js';
import { migrate } from '../store/migrate.js';
import { OwnedObjectsTable } from '../store/owned-objects-table.js';
import { parseMemberId, Repository } from '../store/repository.js';
import { CachedOwnershipStore } from '../surface/cached-ownership-store.js';

export interface Governance {
  readonly access: AccessControl;
  readonly observers: readonly RequestObserver[];
  readonly management: ManagementHandler | null;
  readonly state: GovernanceState;
  readonly writer: SpendBatchWriter;
  readonly database: Database;
  /** File and batch ownership in the database, shared by every worker and instance (cached per process). */
  readonly ownership: CachedOwnershipStore;
  /** Writes pending spend (retrying up to `deadlineMs`) and closes the database. */
  close(deadlineMs?: number): Promise<void>;
}

export interface GovernanceOptions {
  role: Role;
  /** Overrides `proxy_batch_write_at` (tests). */
  flushIntervalMs?: number;
  pollIntervalMs?: number;
  /** Prefix of the shared counters and of the change channel in Redis (tests use a unique one). */
  redisPrefix?: string;
  /** Mount the management API and UI here (default: unless the role is `data`); false when a control process serves them. */
  serveManagement?: boolean;
  /** In a control process: tells the data plane about each change before the API answers. */
  announce?: ChangeAnnouncer;
  /** The data plane's routing state for the Models screen (absent: not shown). */
  routerStatus?: () => Promise<readonly ProcessRouterStatus[] | null>;
}

const DEFAULT_REDIS_PREFIX = 'sluice:limits:';

/** Governance runs when there is something to govern: a master key, or a database configured explicitly. */
export function governanceWanted(snapshot: RuntimeSnapshot, env: NodeJS.ProcessEnv): boolean {
  return snapshot.settings.masterKey !== null || snapshot.config.general_settings.database_url !== undefined || env.DATABASE_URL !== undefined;
}

function accessGroups(snapshot: RuntimeSnapshot): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const entry of snapshot.config.model_list) {
    const names = (entry.model_info as { access_groups?: unknown } | undefined)?.access_groups;
    if (!Array.isArray(names)) continue;
    for (const name of names) if (typeof name === 'string') groups.set(name, [...(groups.get(name) ?? []), entry.model_name]);
  }
  return groups;
}

/** Where a budget period that ended here is reset in the database (see BudgetResetSink). */
function resetBudget(writer: SpendBatchWriter, entity: Entity): void {
  const next = new Date(entity.budgetResetAt);
  // End users and team members have no reset column: their budget row is the clock, as in LiteLLM's reset job.
  if (entity.kind === 'end_user' || entity.kind === 'team_member') {
    if (entity.budgetId !== null) writer.budgetReset('budget', entity.budgetId, next);
    return;
  }
  writer.budgetReset(entity.kind, entity.id, next);
}

export async function startGovernance(snapshot: RuntimeSnapshot, env: NodeJS.ProcessEnv, options: GovernanceOptions): Promise<Governance> {
  const general = snapshot.config.general_settings;
  const database = openDatabase(resolveDatabaseUrl(general.database_url, env), {
    poolSize: general.database_connection_pool_limit,
    connectionTimeoutMs: general.database_connection_timeout === undefined ? undefined : general.database_connection_timeout * 1000,
  });
  const repo = new Repository(database);
  const state = new GovernanceState(repo, accessGroups(snapshot));
  // Letters and digits only: the prefix is matched with LIKE.
  const spendChangePrefix = `${SPEND_CHANGE_ID_PREFIX}${randomUUID().replaceAll('-', '').slice(0, 12)}x`;
  // A control plane (`--role control`, and the gateway's control child) enforces no spend: its keys and users only
  // authenticate management calls. Under load the data plane writes spend rows several times a second; the control
  // child re-read the entities behind each of them, CPU taken from the cores the data plane runs on.
  state.skipChangePrefix = options.role === 'control' ? SPEND_CHANGE_ID_PREFIX : spendChangePrefix;
  const writer = new SpendBatchWriter(database, {
    changeIdPrefix: spendChangePrefix,
    intervalMs: options.flushIntervalMs ?? (general.proxy_batch_write_at ?? 10) * 1000,
    writeLogs: general.disable_spend_logs !== true,
    maxQueuedLogs: 100_000,
    onDatabaseStatus: (ok) => {
      state.connected = ok;
    },
    onWritten: (increments) => {
      for (const [id, amount] of increments.key) settle(state.keys.get(id), amount);
      for (const [id, amount] of increments.team) settle(state.teams.get(id), amount);
      for (const [id, amount] of increments.user) settle(state.users.get(id), amount);
      for (const [id, amount] of increments.end_user) settle(state.endUsers.get(id), amount);
      for (const [id, amount] of increments.team_member) settleMember(state, id, amount);
    },
  });
  const redis = resolveRedis(snapshot.config, env);
  const prefix = options.redisPrefix ?? env.SLUICE_REDIS_PREFIX ?? DEFAULT_REDIS_PREFIX;
  const limiter = redis === null ? null : new RedisLimiter(redis, prefix);
  if (limiter !== null) state.modelBudgetSync = new ModelBudgetSync(limiter.redis, prefix);
  const bus = redis === null ? null : new ChangeBus(redis, prefix, (logId, kind, id) => state.applyChange(logId, kind, id));
  const access = new AccessController(state, { masterKey: snapshot.settings.masterKey, globalMaxBudget: snapshot.config.litellm_settings.max_budget ?? null, limiter }, {
    budgetReset: (entity: Entity) => resetBudget(writer, entity),
  });
  const ownership = new CachedOwnershipStore(new OwnedObjectsTable(database));
  await prepare(database, state);
  writer.start();
  const poller = startPoller(database, state, options.pollIntervalMs ?? 500);
  const pruner = setInterval(() => void repo.pruneChanges(new Date(Date.now() - 3_600_000)).catch(() => undefined), 300_000);
  pruner.unref();
  const serveManagement = options.serveManagement ?? options.role !== 'data';
  let management: ManagementHandler | null = null;
  if (serveManagement) {
    // Imported here: a data-plane process (role `data`, or the gateway whose control child serves the API) never
    // loads the management routes and the UI.
    const [{ ManagementApi }, { managementRoutes }, { AdminUi }] = await Promise.all([
      import('../controlplane/management-api.js'), import('../controlplane/management-routes.js'), import('../controlplane/ui/admin-ui.js'),
    ]);
    const api = new ManagementApi(managementRoutes(), repo, state, snapshot.settings.masterKey, bus, options.announce ?? null);
    management = new AdminUi(api, { snapshot, state, repo, env, ...(options.routerStatus === undefined ? {} : { routerStatus: options.routerStatus }) });
  }
  // A database that is away is reported, not fatal: known keys keep working (LiteLLM's allow_requests_on_db_unavailable).
  const unregisterProbe = registerReadinessProbe('db', () => ({ ok: true, status: access.databaseStatus() }), { required: false });
  logger.info({ database: database.description, keys: state.keys.size }, 'governance ready');
  return {
    access, observers: [new SpendRecorder(writer)], management, state, writer, database, ownership,
    async close(deadlineMs = 10_000) {
      clearInterval(poller);
      clearInterval(pruner);
      unregisterProbe();
      await ownership.close();
      const drained = await writer.drain(deadlineMs);
      if (!drained) logger.error({ droppedLogs: writer.droppedLogs }, 'spend not fully written before shutdown');
      await database.close();
      bus?.close();
      await state.modelBudgetSync?.close();
      await limiter?.close();
    },
  };
}

function settle(entity: Entity | undefined | null, amount: number): void {
  if (entity !== undefined && entity !== null) entity.unflushedSpend = Math.max(0, entity.unflushedSpend - amount);
}

function settleMember(state: GovernanceState, id: string, amount: number): void {
  const member = parseMemberId(id);
  if (member !== null) settle(state.memberOf(member.teamId, member.userId), amount);
}

/** Migrates and loads; if the database is away at start-up, keeps trying in the background (master key works meanwhile). */
async function prepare(database: Database, state: GovernanceState): Promise<void> {
  try {
    await migrate(database);
    await state.loadAll();
  } catch (error) {
    logger.error({ err: error, database: database.description }, 'database unavailable at start-up; retrying in the background');
    const retry = setInterval(() => {
      migrate(database)
        .then(() => state.loadAll())
        .then(() => clearInterval(retry))
        .catch(() => undefined);
    }, 2_000);
    retry.unref();
  }
}

function startPoller(database: Database, state: GovernanceState, intervalMs: number): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    state
      .pollChanges()
      .catch((error: unknown) => {
        state.connected = false;
        logger.warn({ err: error, database: database.description }, 'change poll failed');
      })
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return timer;
}
