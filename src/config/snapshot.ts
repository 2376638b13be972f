// The immutable runtime snapshot: model groups, deployments, wildcard routes and resolved settings, built once.
import type { ConfigProblem } from './config-problem.js';
import { ConfigError } from './config-problem.js';
import { buildDeployment, type Deployment, type DeploymentDefaults } from './deployment.js';
import type { ModelEntry, ProxyConfig } from './schema.js';
import { compileWildcard, isWildcard, type WildcardPattern } from './wildcard.js';

export interface ModelGroup {
  readonly name: string;
  readonly deployments: readonly Deployment[];
}

export interface WildcardRoute {
  readonly pattern: WildcardPattern;
  readonly entries: readonly ModelEntry[];
}

export interface GatewaySettings {
  masterKey: string | null;
  maxRequestBytes: number;
  dropParams: boolean;
  /** `litellm_settings.max_tokens`: a cap on a request's max_tokens. */
  maxTokensCap: number | null;
  connectionPoolSize: number;
  connectionPoolTimeoutMs: number;
  requireAuthForMetrics: boolean;
}

export interface RuntimeSnapshot {
  readonly groups: ReadonlyMap<string, ModelGroup>;
  /** Names listed by `/v1/models`, in config order (hidden aliases excluded). */
  readonly publicModelNames: readonly string[];
  readonly wildcardRoutes: readonly WildcardRoute[];
  readonly settings: Readonly<GatewaySettings>;
  readonly deploymentDefaults: Readonly<DeploymentDefaults>;
  readonly config: Readonly<ProxyConfig>;
}

const DEFAULT_TIMEOUT_SECONDS = 600;
const DEFAULT_MAX_REQUEST_MB = 10;

function resolveSettings(config: ProxyConfig, env: NodeJS.ProcessEnv): GatewaySettings {
  const general = config.general_settings;
  return {
    masterKey: general.master_key ?? env.LITELLM_MASTER_KEY ?? null,
    maxRequestBytes: Math.floor((general.max_request_size_mb ?? DEFAULT_MAX_REQUEST_MB) * 1024 * 1024),
    dropParams: config.litellm_settings.drop_params ?? general.drop_params ?? false,
    maxTokensCap: config.litellm_settings.max_tokens ?? null,
    connectionPoolSize: general.connection_pool_size ?? 100,
    connectionPoolTimeoutMs: (general.connection_pool_timeout ?? 60) * 1000,
    requireAuthForMetrics: config.litellm_settings.require_auth_for_metrics_endpoint === true,
  };
}

function addAliases(config: ProxyConfig, groups: Map<string, ModelGroup>, publicNames: string[], problems: ConfigProblem[]): void {
  const aliases = config.router_settings.model_group_alias ?? {};
  for (const [alias, target] of Object.entries(aliases)) {
    const targetName = typeof target === 'string' ? target : target.model;
    const group = groups.get(targetName);
    if (group === undefined) {
      problems.push({ path: `router_settings.model_group_alias.${alias}`, expected: 'the model_name of a model_list entry', found: JSON.stringify(targetName) });
      continue;
    }
    groups.set(alias, group);
    if (typeof target === 'string' || target.hidden !== true) publicNames.push(alias);
  }
}

export function buildSnapshot(config: ProxyConfig, env: NodeJS.ProcessEnv = process.env): RuntimeSnapshot {
  const problems: ConfigProblem[] = [];
  const settings = resolveSettings(config, env);
  const deploymentDefaults: DeploymentDefaults = {
    timeoutSeconds: config.router_settings.timeout ?? config.litellm_settings.request_timeout ?? DEFAULT_TIMEOUT_SECONDS,
    streamTimeoutSeconds: config.router_settings.stream_timeout,
    dropParams: settings.dropParams,
    env,
  };
  const grouped = new Map<string, Deployment[]>();
  const wildcardEntries = new Map<string, ModelEntry[]>();
  config.model_list.forEach((entry, index) => {
    const path = `model_list[${index}]`;
    if (isWildcard(entry.model_name)) {
      // Validate the template now so a typo fails at start-up, not on the first request.
      buildDeployment({ ...entry, litellm_params: { ...entry.litellm_params, model: entry.litellm_params.model.replace('*', 'model') } }, path, deploymentDefaults, problems);
      const list = wildcardEntries.get(entry.model_name) ?? [];
      list.push(entry);
      wildcardEntries.set(entry.model_name, list);
      return;
    }
    const deployment = buildDeployment(entry, path, deploymentDefaults, problems);
    if (deployment === null) return;
    const list = grouped.get(entry.model_name) ?? [];
    list.push(deployment);
    grouped.set(entry.model_name, list);
  });
  const groups = new Map<string, ModelGroup>();
  for (const [name, deployments] of grouped) groups.set(name, { name, deployments });
  const publicModelNames = [...groups.keys(), ...wildcardEntries.keys()];
  addAliases(config, groups, publicModelNames, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const wildcardRoutes = [...wildcardEntries].map(([pattern, entries]) => ({ pattern: compileWildcard(pattern), entries }));
  wildcardRoutes.sort((a, b) => b.pattern.specificity - a.pattern.specificity);
  return Object.freeze({ groups, publicModelNames, wildcardRoutes, settings: Object.freeze(settings), deploymentDefaults, config });
}
