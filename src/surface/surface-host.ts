// What a surface call needs from the gateway that runs it, kept as an interface so calls never import the server.
import type { Deployment } from '../config/deployment.js';
import type { ModelResolver } from '../config/model-resolver.js';
import type { ModelGroup } from '../config/snapshot.js';
import type { GatewayError } from '../core/errors.js';
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
  /** The router's choice within a group, or the error to answer with (every deployment cooling down, …). */
  pick(ctx: RequestContext, group: ModelGroup): Deployment | GatewayError;
  /** The first configured model group whose deployments have this mode (a moderation call may omit `model`). */
  defaultModelFor(mode: ModelMode): string | null;
  /** The first OpenAI/Azure deployment, where files and batches go unless `?model=` names another. */
  defaultFilesDeployment(): Deployment | null;
  deploymentById(id: string): Deployment | undefined;
  /** Keeps a (wildcard-built) deployment findable by id for later file and batch calls. */
  remember(deployment: Deployment): void;
}
