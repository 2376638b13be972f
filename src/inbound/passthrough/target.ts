// Compiles each pass-through provider's upstream once: base URL and credentials from the first deployment of that
// provider in the config, else from the environment.
import type { Deployment } from '../../config/deployment.js';
import type { RuntimeSnapshot } from '../../config/snapshot.js';
import type { PreparedTarget, ProviderAdapter } from '../../core/provider-contract.js';
import { BedrockSigner } from './bedrock-signer.js';
import type { PassThroughProvider } from './prefixes.js';

export interface PassThroughTarget {
  origin: string;
  basePath: string;
  /** Credentials to add (client auth headers are always removed). */
  authHeaders: Readonly<Record<string, string>>;
  /** Headers added only when the client did not send them (anthropic-version). */
  defaultHeaders: Readonly<Record<string, string>>;
  signer: BedrockSigner | null;
  /** Credentials minted per request by a deployment's adapter (Vertex AI OAuth tokens): its `authorize` is borrowed. */
  deploymentAuth: { adapter: ProviderAdapter; prepared: PreparedTarget } | null;
  /** Why the prefix cannot be used (nothing configured); null when ready. */
  problem: string | null;
}

function firstEnv(env: NodeJS.ProcessEnv, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

function firstDeployment(snapshot: RuntimeSnapshot, provider: PassThroughProvider): Deployment | undefined {
  for (const group of snapshot.groups.values()) {
    for (const deployment of group.deployments) {
      if (deployment.provider === provider.id || provider.aliases.includes(deployment.provider)) return deployment;
    }
  }
  return undefined;
}

function stringParam(deployment: Deployment | undefined, name: string): string | undefined {
  const value = (deployment?.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function authHeaders(provider: PassThroughProvider, key: string | undefined): Record<string, string> {
  if (key === undefined || key === '') return {};
  switch (provider.auth) {
    case 'bearer':
      return { authorization: `Bearer ${key}` };
    case 'x-api-key':
      return { 'x-api-key': key };
    case 'api-key':
      return { 'api-key': key };
    case 'x-goog-api-key':
      return { 'x-goog-api-key': key };
    default:
      return {};
  }
}

function bedrockSetup(deployment: Deployment | undefined, env: NodeJS.ProcessEnv): { base: string | undefined; signer: BedrockSigner | null } {
  // Part A's adapter resolves aws_* params from litellm_params or the environment into providerParams.
  const resolved = deployment?.prepared?.target.providerParams ?? {};
  const param = (name: string): string | undefined => resolved[name] ?? stringParam(deployment, name);
  const region = param('aws_region_name') ?? firstEnv(env, ['AWS_REGION_NAME', 'AWS_REGION', 'AWS_DEFAULT_REGION']);
  const accessKeyId = param('aws_access_key_id') ?? firstEnv(env, ['AWS_ACCESS_KEY_ID']);
  const secretAccessKey = param('aws_secret_access_key') ?? firstEnv(env, ['AWS_SECRET_ACCESS_KEY']);
  const sessionToken = param('aws_session_token') ?? firstEnv(env, ['AWS_SESSION_TOKEN']);
  const endpoint = param('aws_bedrock_runtime_endpoint');
  const base = endpoint ?? (region === undefined ? undefined : `https://bedrock-runtime.${region}.amazonaws.com`);
  if (region === undefined || accessKeyId === undefined || secretAccessKey === undefined) return { base, signer: null };
  return { base, signer: new BedrockSigner({ accessKeyId, secretAccessKey, sessionToken, region }) };
}

function stripSuffix(path: string, suffixes: readonly string[]): string {
  const trimmed = path.replace(/\/+$/, '');
  for (const suffix of suffixes) if (trimmed.endsWith(suffix)) return trimmed.slice(0, -suffix.length);
  return trimmed;
}

export function compileTarget(provider: PassThroughProvider, snapshot: RuntimeSnapshot): PassThroughTarget {
  const env = snapshot.deploymentDefaults.env;
  const deployment = firstDeployment(snapshot, provider);
  const fromConfig = deployment?.prepared?.target;
  let base = fromConfig?.apiBase ?? (deployment?.apiBase || undefined) ?? firstEnv(env, provider.baseEnv) ?? (provider.defaultBase || undefined);
  let signer: BedrockSigner | null = null;
  if (provider.auth === 'sigv4') {
    const bedrock = bedrockSetup(deployment, env);
    base = firstEnv(env, provider.baseEnv) ?? bedrock.base;
    signer = bedrock.signer;
  }
  let key = fromConfig?.apiKey ?? firstEnv(env, provider.keyEnv);
  const empty = { origin: '', basePath: '', authHeaders: {}, defaultHeaders: {}, signer: null, deploymentAuth: null };
  let deploymentAuth: PassThroughTarget['deploymentAuth'] = null;
  if (provider.id === 'vertex_ai') {
    if (deployment?.adapter == null || deployment.prepared === null) {
      return { ...empty, problem: 'Vertex AI pass-through borrows the credentials of a vertex_ai/… model: add one to model_list (vertex_project, vertex_location, vertex_credentials).' };
    }
    base = firstEnv(env, provider.baseEnv) ?? deployment.prepared.origin;
    deploymentAuth = { adapter: deployment.adapter, prepared: deployment.prepared };
  }
  // A Bedrock API key (AWS_BEARER_TOKEN_BEDROCK or api_key) stands in for SigV4 when no access keys are set.
  if (provider.auth === 'sigv4' && signer === null) key ??= firstEnv(env, ['AWS_BEARER_TOKEN_BEDROCK']);
  if (base === undefined) return { ...empty, problem: `No ${provider.id} endpoint is configured for pass-through: add a ${provider.id}/… model to model_list or set ${provider.baseEnv.join(' / ')}.` };
  if (provider.auth === 'sigv4' && signer === null && key === undefined) return { ...empty, problem: 'Bedrock pass-through needs AWS credentials and a region (aws_* litellm_params or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION), or AWS_BEARER_TOKEN_BEDROCK.' };
  if (key === undefined && provider.keyEnv.length > 0) {
    return { ...empty, problem: `No ${provider.id} API key is configured for pass-through: add a ${provider.id}/… model with api_key to model_list or set ${provider.keyEnv.join(' / ')}.` };
  }
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return { ...empty, problem: `The ${provider.id} pass-through base URL is not a valid URL: ${base}` };
  }
  return {
    origin: url.origin,
    basePath: stripSuffix(url.pathname, provider.stripSuffixes),
    authHeaders: provider.auth === 'sigv4' && signer === null ? authHeaders({ ...provider, auth: 'bearer' }, key) : authHeaders(provider, key),
    defaultHeaders: provider.id === 'anthropic' ? { 'anthropic-version': '2023-06-01' } : {},
    signer,
    deploymentAuth,
    problem: null,
  };
}
