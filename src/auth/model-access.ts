// Which model names a key, team or user may call: LiteLLM's `models` list (names, wildcards, access groups) compiled once.

const compiled = new WeakMap<ReadonlyMap<string, readonly string[]>, Map<string, ModelAccess | null>>();

/** Names in `models` that mean "no restriction". */
const ALLOW_ALL = new Set(['all-proxy-models', '*']);

export class ModelAccess {
  private readonly exact: ReadonlySet<string>;
  private readonly prefixes: readonly string[];
  /** `all-team-models` on a key: defer to the team's list. */
  readonly inheritsTeam: boolean;
  readonly names: readonly string[];

  private constructor(names: readonly string[], exact: Set<string>, prefixes: string[], inheritsTeam: boolean) {
    this.names = names;
    this.exact = exact;
    this.prefixes = prefixes;
    this.inheritsTeam = inheritsTeam;
  }

  /** Keys usually share a handful of model lists: compile each distinct list once (per access-group table). */
  static compile(models: readonly string[] | null | undefined, accessGroups: ReadonlyMap<string, readonly string[]>): ModelAccess | null {
    if (models === null || models === undefined || models.length === 0) return null;
    let cache = compiled.get(accessGroups);
    if (cache === undefined) compiled.set(accessGroups, (cache = new Map()));
    const signature = models.join('\u0000');
    const hit = cache.get(signature);
    if (hit !== undefined) return hit;
    const access = ModelAccess.build(models, accessGroups);
    if (cache.size < 10_000) cache.set(signature, access);
    return access;
  }

  private static build(models: readonly string[] | null | undefined, accessGroups: ReadonlyMap<string, readonly string[]>): ModelAccess | null {
    if (models === null || models === undefined || models.length === 0) return null;
    const exact = new Set<string>();
    const prefixes: string[] = [];
    let inheritsTeam = false;
    for (const name of models) {
      if (ALLOW_ALL.has(name)) return null;
      if (name === 'all-team-models') inheritsTeam = true;
      else if (name.endsWith('*')) prefixes.push(name.slice(0, -1));
      else {
        exact.add(name);
        for (const member of accessGroups.get(name) ?? []) exact.add(member);
      }
    }
    return new ModelAccess(models, exact, prefixes, inheritsTeam);
  }

  allows(model: string): boolean {
    if (this.exact.has(model)) return true;
    for (const prefix of this.prefixes) if (model.startsWith(prefix)) return true;
    return false;
  }
}
