// Where a surface call goes for a deployment: OpenAI-wire paths (OpenAI, Azure, compatible vendors) and rerank per wire.
import type { Deployment } from '../config/deployment.js';
import { GatewayError, invalidRequest } from '../core/errors.js';
import { BedrockSigner } from '../providers/bedrock/sigv4-signer.js';
import type { SurfaceEndpoint } from './surface-endpoints.js';
import type { RerankWire } from './rerank/rerank-wire.js';

export interface UpstreamTarget {
  origin: string;
  path: string;
  headers: Record<string, string>;
}

/** OpenAI's wire: adapters without a response translator (OpenAI, Azure, every catalog vendor). */
export function speaksOpenAI(deployment: Deployment): boolean {
  return deployment.adapter !== null && deployment.prepared !== null && deployment.adapter.parseResponse === undefined;
}

export function unsupportedProvider(deployment: Deployment, endpoint: SurfaceEndpoint): GatewayError {
  return invalidRequest(`Model group '${deployment.modelGroup}' uses provider '${deployment.provider}', which does not serve ${endpoint.publicPath}. Use an OpenAI or Azure deployment (or an OpenAI-compatible one) for this route.`, 'model');
}

/** Files and batches live beside Azure's deployments (`/openai/files`), not under one. */
function openaiRoot(deployment: Deployment, endpoint: SurfaceEndpoint): string {
  const basePath = deployment.prepared!.basePath;
  if (endpoint.mode !== null || deployment.provider !== 'azure') return basePath;
  const at = basePath.indexOf('/deployments/');
  return at < 0 ? basePath : basePath.slice(0, at);
}

export function openaiTarget(deployment: Deployment, endpoint: SurfaceEndpoint, id: string, query: string): UpstreamTarget {
  const prepared = deployment.prepared!;
  const path = id === '' ? endpoint.upstreamPath : endpoint.upstreamPath.replace('{id}', encodeURIComponent(id));
  let search = prepared.query;
  if (query !== '') search = search === '' ? `?${query}` : `${search}&${query}`;
  return { origin: prepared.origin, path: openaiRoot(deployment, endpoint) + path + search, headers: { ...prepared.headers } };
}

const BEDROCK_AGENT_ORIGIN = 'https://bedrock-agent-runtime.{region}.amazonaws.com';
const signers = new WeakMap<Deployment, BedrockSigner | null>();

function bedrockRegion(deployment: Deployment): string {
  return deployment.prepared!.target.providerParams?.aws_region_name ?? 'us-east-1';
}

/** Rerank goes to Bedrock's agent runtime, not the model runtime; `aws_bedrock_runtime_endpoint` overrides both. */
function bedrockOrigin(deployment: Deployment): string {
  const params = deployment.prepared!.target.providerParams ?? {};
  return params.aws_bedrock_runtime_endpoint ?? BEDROCK_AGENT_ORIGIN.replace('{region}', bedrockRegion(deployment));
}

/** Bedrock rerank addresses the model by ARN. */
export function bedrockModelArn(deployment: Deployment): string {
  const model = deployment.upstreamModel;
  return model.startsWith('arn:') ? model : `arn:aws:bedrock:${bedrockRegion(deployment)}::foundation-model/${model}`;
}

export function rerankTarget(deployment: Deployment, wire: RerankWire): UpstreamTarget {
  const prepared = deployment.prepared!;
  const headers: Record<string, string> = { ...prepared.headers };
  if (wire.id === 'bedrock') return { origin: new URL(bedrockOrigin(deployment)).origin, path: wire.path, headers };
  if (wire.id === 'cohere') return { origin: prepared.origin, path: prepared.basePath + wire.path, headers };
  return { origin: prepared.origin, path: prepared.basePath + wire.path + prepared.query, headers };
}

/** SigV4 for Bedrock rerank (signer per deployment, for the agent-runtime host); undefined when a bearer key is used. */
export function signBedrock(deployment: Deployment, target: UpstreamTarget, body: string): Promise<void> | undefined {
  let signer = signers.get(deployment);
  if (signer === undefined) {
    const params = deployment.prepared!.target.providerParams ?? {};
    const accessKeyId = params.aws_access_key_id;
    const secretAccessKey = params.aws_secret_access_key;
    signer = accessKeyId !== undefined && secretAccessKey !== undefined ? new BedrockSigner(target.origin, bedrockRegion(deployment), { accessKeyId, secretAccessKey, sessionToken: params.aws_session_token }) : null;
    signers.set(deployment, signer);
  }
  if (signer === null) {
    if (target.headers.authorization !== undefined) return undefined;
    return Promise.reject(new GatewayError({ reason: 'auth', status: 401, message: 'No AWS credentials for Bedrock rerank: set aws_access_key_id/aws_secret_access_key.' }));
  }
  return signer.sign({ origin: target.origin, path: target.path, method: 'POST', headers: target.headers, body });
}
