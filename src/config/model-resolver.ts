// Resolves a request's `model` to its group: exact name first, then wildcard routes, with a bounded cache.
import { buildDeployment, type Deployment } from './deployment.js';
import type { ModelGroup, RuntimeSnapshot } from './snapshot.js';
import { fillWildcard } from './wildcard.js';

/** Bounds memory when clients send many distinct model names through a wildcard. */
export const MAX_CACHED_WILDCARD_GROUPS = 10_000;

export class ModelResolver {
  private readonly snapshot: RuntimeSnapshot;
  private readonly wildcardGroups = new Map<string, ModelGroup | null>();
  /** Told when the wildcard cache is emptied, so per-deployment state kept elsewhere can be bounded too. */
  private readonly onWildcardCacheCleared: (() => void) | null;

  constructor(snapshot: RuntimeSnapshot, onWildcardCacheCleared: (() => void) | null = null) {
    this.snapshot = snapshot;
    this.onWildcardCacheCleared = onWildcardCacheCleared;
  }

  resolve(model: string): ModelGroup | null {
    const exact = this.snapshot.groups.get(model);
    if (exact !== undefined) return exact;
    if (this.snapshot.wildcardRoutes.length === 0) return null;
    const cached = this.wildcardGroups.get(model);
    if (cached !== undefined) return cached;
    const group = this.resolveWildcard(model);
    if (this.wildcardGroups.size >= MAX_CACHED_WILDCARD_GROUPS) {
      this.wildcardGroups.clear();
      this.onWildcardCacheCleared?.();
    }
    this.wildcardGroups.set(model, group);
    return group;
  }

  private resolveWildcard(model: string): ModelGroup | null {
    for (const route of this.snapshot.wildcardRoutes) {
      const captured = route.pattern.match(model);
      if (captured === null) continue;
      const deployments: Deployment[] = [];
      for (const entry of route.entries) {
        const concrete = { ...entry, model_name: model, litellm_params: { ...entry.litellm_params, model: fillWildcard(entry.litellm_params.model, captured) } };
        const deployment = buildDeployment(concrete, `wildcard ${route.pattern.pattern}`, this.snapshot.deploymentDefaults, []);
        if (deployment !== null) deployments.push(deployment);
      }
      if (deployments.length > 0) return { name: model, deployments };
    }
    return null;
  }
}
