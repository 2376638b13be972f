// What a surface call needs from the gateway that runs it, kept as an interface so calls never import the server.
import type { Deployment } from '../config/deployment.js';
import type { ModelResolver } from '../config/model-resolver.js';
import type { ModelGroup } from '../config/snapshot.js';
import type { GatewayError } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import type { RequestContext } from '../dataplane/request-context.js';
import type { UpstreamPools } from '../dataplane/upstream-pools.js';
import type { ModelMode } from './model-mode.js';
import type { OwnershipStore } from './ownership-store.js';

export interface SurfaceHost {
  readonly resolver: ModelResolver;
  readonly pools: UpstreamPools;
  readonly store: OwnershipStore;
  /** True when a master key (or virtual keys) authenticate callers: ownership is then per presented key. */
  readonly keysConfigured: boolean;
  /** The router's attempts over a model group, as for chat: pick, retries, fallbacks, cooldowns. */
  begin(ctx: RequestContext, body: JsonObject, group: ModelGroup): void;
  /** Attempts against the one deployment that holds a file or batch: retries only. */
  beginPinned(ctx: RequestContext, body: JsonObject, deployment: Deployment): void;
  /** An attempt failed before it was sent (credentials could not be fetched): the router decides what follows. */
  attemptFailed(ctx: RequestContext, error: GatewayError): void;
  /** The call is being answered by something else (a late limit): stop waiting and count the attempt out. */
  abandon(ctx: RequestContext): void;
  /** The first configured model group whose deployments have this mode (a moderation call may omit `model`). */
  defaultModelFor(mode: ModelMode): string | null;
  /** The first OpenAI/Azure deployment, where files and batches go unless `?model=` names another. */
  defaultFilesDeployment(): Deployment | null;
  deploymentById(id: string): Deployment | undefined;
  /** Keeps a (wildcard-built) deployment findable by id for later file and batch calls. */
  remember(deployment: Deployment): void;
}
