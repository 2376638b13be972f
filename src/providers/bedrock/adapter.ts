// AWS Bedrock: Converse / ConverseStream for chat, InvokeModel for Titan and Cohere embeddings; SigV4 per request.
import { GatewayError, invalidRequest } from '../../core/errors.js';
import { splitApiBase } from '../../core/base-url.js';
import type { JsonObject } from '../../core/json.js';
import type { Operation } from '../../core/operation.js';
import type { DeploymentTarget, PreparedTarget, ProviderAdapter, StreamTranslator, TranslationContext, UpstreamRequest } from '../../core/provider-contract.js';
import { mapBedrockError } from './map-error.js';
import { mapConverseRequest, mapEmbeddingRequest } from './map-request.js';
import { parseConverseResponse, parseEmbeddingResponse } from './map-response.js';
import { loadAwsLibraries } from './aws-libraries.js';
import type { AwsCredentials, BedrockSigner } from './sigv4-signer.js';
import { BedrockStreamTranslator } from './stream-translator.js';

type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

export const BEDROCK_BASE_TEMPLATE = 'https://bedrock-runtime.{region}.amazonaws.com';
const DEFAULT_REGION = 'us-east-1';
/** LiteLLM's route prefixes inside the model name (`bedrock/converse/…`). */
const ROUTE_PREFIXES = ['converse/', 'invoke/'];

function modelIdOf(upstreamModel: string): string {
  for (const prefix of ROUTE_PREFIXES) if (upstreamModel.startsWith(prefix)) return upstreamModel.slice(prefix.length);
  return upstreamModel;
}

export class BedrockAdapter implements ProviderAdapter {
  readonly id = 'bedrock';
  /** Credentials per deployment; the signer is built on first use, once the AWS libraries are loaded. */
  private readonly credentials = new WeakMap<PreparedTarget, { region: string; keys: AwsCredentials }>();
  private readonly signers = new WeakMap<PreparedTarget, BedrockSigner>();

  prepare(target: DeploymentTarget): PreparedTarget {
    const params = target.providerParams ?? {};
    const region = params.aws_region_name ?? DEFAULT_REGION;
    const base = params.aws_bedrock_runtime_endpoint ?? (target.apiBase === BEDROCK_BASE_TEMPLATE ? `https://bedrock-runtime.${region}.amazonaws.com` : target.apiBase);
    const { origin, basePath } = splitApiBase(base);
    const modelPath = `${basePath}/model/${encodeURIComponent(modelIdOf(target.upstreamModel))}`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const accessKeyId = params.aws_access_key_id;
    const secretAccessKey = params.aws_secret_access_key;
    // A Bedrock API key (AWS_BEARER_TOKEN_BEDROCK or api_key) replaces SigV4 when no access keys are set.
    if ((accessKeyId === undefined || secretAccessKey === undefined) && target.apiKey !== null && target.apiKey !== '') headers.authorization = `Bearer ${target.apiKey}`;
    const prepared: PreparedTarget = { origin, basePath: modelPath, query: '', headers: { ...headers, ...target.extraHeaders }, target };
    if (accessKeyId !== undefined && secretAccessKey !== undefined) {
      this.credentials.set(prepared, { region, keys: { accessKeyId, secretAccessKey, sessionToken: params.aws_session_token } });
    }
    void loadAwsLibraries();
    return prepared;
  }

  buildRequest(operation: Operation, body: JsonObject, prepared: PreparedTarget): UpstreamRequest {
    let action: string;
    let upstreamBody: JsonObject;
    if (operation === 'chat') {
      action = body.stream === true ? '/converse-stream' : '/converse';
      upstreamBody = mapConverseRequest(body);
    } else if (operation === 'embedding') {
      action = '/invoke';
      upstreamBody = mapEmbeddingRequest(body, modelIdOf(prepared.target.upstreamModel));
    } else throw invalidRequest(`Bedrock does not support the ${operation} endpoint; use /v1/chat/completions.`, 'model');
    return { origin: prepared.origin, path: prepared.basePath + action, method: 'POST', headers: { ...prepared.headers }, body: JSON.stringify(upstreamBody) };
  }

  authorize(request: UpstreamRequest, prepared: PreparedTarget): Promise<void> | undefined {
    // Every Bedrock call passes here before its stream is decoded, so the decoder is loaded by then too.
    return loadAwsLibraries().then((libraries) => this.sign(request, prepared, libraries.signer.BedrockSigner));
  }

  private sign(request: UpstreamRequest, prepared: PreparedTarget, Signer: typeof BedrockSigner): Promise<void> | undefined {
    let signer = this.signers.get(prepared);
    const credentials = this.credentials.get(prepared);
    if (signer === undefined && credentials !== undefined) {
      signer = new Signer(prepared.origin, credentials.region, credentials.keys);
      this.signers.set(prepared, signer);
    }
    if (signer !== undefined) return signer.sign(request);
    if (request.headers.authorization !== undefined) return undefined;
    return Promise.reject(new GatewayError({ reason: 'auth', status: 401, type: 'auth_error', message: 'No AWS credentials for Bedrock: set aws_access_key_id/aws_secret_access_key or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.' }));
  }

  mapError(status: number, bodyText: string, headers: HeaderBag): GatewayError {
    return mapBedrockError(status, bodyText, headers);
  }

  parseResponse(operation: Operation, body: Buffer, ctx: TranslationContext): JsonObject {
    return operation === 'embedding' ? parseEmbeddingResponse(body, { ...ctx, model: modelIdOf(ctx.model) }) : parseConverseResponse(body, ctx);
  }

  createStreamTranslator(_operation: Operation, ctx: TranslationContext): StreamTranslator {
    return new BedrockStreamTranslator(ctx);
  }
}
