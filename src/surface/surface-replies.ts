// The reply step per surface route: what happens to a provider's success body before the client gets it.
import { GatewayError } from '../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';
import type { Usage } from '../core/usage.js';
import type { OwnedKind, OwnershipStore } from './ownership-store.js';
import { toOpenAIImages, type ImageWire } from './images/native-image-wire.js';
import { toCohereAnswer, type RerankWire } from './rerank/rerank-wire.js';
import type { RerankRequest } from './rerank/rerank-request.js';
import type { SurfaceReply } from './surface-exchange.js';
import { imagePrice, type SurfacePrice } from './surface-prices.js';
import type { SurfaceEndpointName } from './surface-endpoints.js';

/** Everything a reply step reads about its request. */
export interface ReplyInput {
  endpoint: SurfaceEndpointName;
  owner: string;
  deploymentId: string;
  price: SurfacePrice;
  /** Image requests: size and quality for the per-image price. */
  imageSize: string;
  imageQuality: string;
  /** Native image models (Imagen, Bedrock): the wire whose answer is rewritten into OpenAI's. */
  imageWire: ImageWire | null;
  rerankWire: RerankWire | null;
  rerankRequest: RerankRequest | null;
  callId: string;
  store: OwnershipStore;
}

export interface ReplyResult {
  reply: SurfaceReply;
  usage: Usage | null;
}

function unreadable(): GatewayError {
  return new GatewayError({ reason: 'upstream', status: 502, message: 'The provider returned a body Sluice could not read.' });
}

function parseObject(body: Buffer): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw unreadable();
  }
  if (!isJsonObject(parsed)) throw unreadable();
  return parsed;
}

function numberOf(value: JsonValue | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function roundCost(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}

function asIs(body: Buffer, contentType: string, cost: number | null = null): ReplyResult {
  return { reply: { body, contentType, cost }, usage: null };
}

function json(value: JsonObject, cost: number | null = null): ReplyResult {
  return { reply: { body: JSON.stringify(value), contentType: 'application/json', cost }, usage: null };
}

function imageCost(input: ReplyInput, body: JsonObject): number | null {
  const each = imagePrice(input.price, input.imageSize, input.imageQuality);
  const data = body.data;
  if (each === undefined || !Array.isArray(data)) return null;
  return roundCost(each * data.length);
}

/** Seconds of audio: `duration` (verbose_json) or `usage: {type: 'duration', seconds}` (json). Text formats have none. */
function audioCost(input: ReplyInput, body: Buffer, contentType: string): number | null {
  const perSecond = input.price.inputCostPerSecond;
  if (perSecond === undefined || !contentType.includes('json')) return null;
  let parsed: JsonObject;
  try {
    parsed = parseObject(body);
  } catch {
    return null;
  }
  const usage = parsed.usage;
  const seconds = numberOf(parsed.duration) || (isJsonObject(usage) ? numberOf(usage.seconds) : 0);
  return seconds > 0 ? roundCost(seconds * perSecond) : null;
}

function rerankReply(input: ReplyInput, body: Buffer): ReplyResult {
  const answer = toCohereAnswer(input.rerankWire!, parseObject(body), input.rerankRequest!, input.callId);
  const price = input.price;
  let cost: number | null = null;
  if (price.inputCostPerQuery !== undefined && answer.billing.searchUnits > 0) cost = answer.billing.searchUnits * price.inputCostPerQuery;
  else if (price.inputCostPerToken !== undefined && answer.billing.tokens > 0) cost = answer.billing.tokens * price.inputCostPerToken;
  const usage: Usage | null = answer.billing.tokens > 0 ? { promptTokens: answer.billing.tokens, completionTokens: 0, totalTokens: answer.billing.tokens, cachedPromptTokens: 0, cacheCreationTokens: 0 } : null;
  return { reply: { body: JSON.stringify(answer.body), contentType: 'application/json', cost: cost === null ? null : roundCost(cost) }, usage };
}

function record(input: ReplyInput, kind: OwnedKind, body: JsonObject): void {
  if (typeof body.id !== 'string') throw unreadable();
  input.store.put({ kind, id: body.id, owner: input.owner, deploymentId: input.deploymentId, createdAt: Date.now() });
}

/** A list answer keeps only the caller's objects (the provider account is shared by every gateway key). */
function ownedOnly(input: ReplyInput, kind: OwnedKind, body: JsonObject): JsonObject {
  const owned = input.store.idsOf(kind, input.owner);
  const data = Array.isArray(body.data) ? body.data : [];
  const kept = data.filter((item) => isJsonObject(item) && typeof item.id === 'string' && owned.has(item.id));
  const out: JsonObject = { ...body, data: kept };
  if (kept.length > 0) {
    out.first_id = (kept[0] as JsonObject).id;
    out.last_id = (kept[kept.length - 1] as JsonObject).id;
  }
  return out;
}

/** A batch's output and error files belong to the batch's owner, on the batch's deployment. */
function ownOutputFiles(input: ReplyInput, batch: JsonObject): void {
  for (const field of ['output_file_id', 'error_file_id']) {
    const id = batch[field];
    if (typeof id === 'string' && id !== '' && input.store.get('file', id) === undefined) {
      input.store.put({ kind: 'file', id, owner: input.owner, deploymentId: input.deploymentId, createdAt: Date.now() });
    }
  }
}

/** A completed batch's token usage, so spend is recorded when the batch is seen complete. */
function batchUsage(body: JsonObject): Usage | null {
  if (body.status !== 'completed' || !isJsonObject(body.usage)) return null;
  const prompt = numberOf(body.usage.input_tokens);
  const completion = numberOf(body.usage.output_tokens);
  return { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion, cachedPromptTokens: 0, cacheCreationTokens: 0 };
}

/** A completed batch's usage, the first time it is seen complete; later retrieves report none. */
function firstUsage(input: ReplyInput, batch: JsonObject): Usage | null {
  const usage = batchUsage(batch);
  const record = typeof batch.id === 'string' ? input.store.get('batch', batch.id) : undefined;
  if (usage === null || record === undefined || record.usageRecorded === true) return null;
  input.store.put({ ...record, usageRecorded: true });
  return usage;
}

export function replyFor(input: ReplyInput, body: Buffer, contentType: string): ReplyResult | GatewayError {
  try {
    switch (input.endpoint) {
      case 'image_generation':
      case 'image_edit': {
        if (input.imageWire === null) return asIs(body, contentType, imageCost(input, parseObject(body)));
        const images = toOpenAIImages(input.imageWire, parseObject(body), Math.floor(Date.now() / 1000));
        return json(images, imageCost(input, images));
      }
      case 'audio_transcription':
      case 'audio_translation':
        return asIs(body, contentType, audioCost(input, body, contentType));
      case 'rerank':
        return rerankReply(input, body);
      case 'file_upload': {
        record(input, 'file', parseObject(body));
        return asIs(body, contentType);
      }
      case 'batch_create': {
        record(input, 'batch', parseObject(body));
        return asIs(body, contentType);
      }
      case 'file_list':
        return json(ownedOnly(input, 'file', parseObject(body)));
      case 'batch_list':
        return json(ownedOnly(input, 'batch', parseObject(body)));
      case 'file_delete': {
        const parsed = parseObject(body);
        if (typeof parsed.id === 'string') input.store.delete('file', parsed.id);
        return asIs(body, contentType);
      }
      case 'batch_retrieve': {
        const result = asIs(body, contentType);
        const parsed = parseObject(body);
        ownOutputFiles(input, parsed);
        result.usage = firstUsage(input, parsed);
        return result;
      }
      default:
        return asIs(body, contentType);
    }
  } catch (error) {
    return error instanceof GatewayError ? error : unreadable();
  }
}
