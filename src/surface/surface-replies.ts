// The reply step per surface route: what happens to a provider's success body before the client gets it. Files and
// batches answers consult the ownership store (asynchronously); the other routes answer at once.
import type { Deployment } from '../config/deployment.js';
import { GatewayError } from '../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';
import type { Usage } from '../core/usage.js';
import { batchCost } from '../spend/cost.js';
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
  /** The deployment of the current attempt (null before the first). */
  deployment: Deployment | null;
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

/** Records the new object as the caller's, before the client hears of it (its next call may reach another worker). */
async function recorded(input: ReplyInput, kind: OwnedKind, body: Buffer, contentType: string): Promise<ReplyResult> {
  const parsed = parseObject(body);
  if (typeof parsed.id !== 'string') throw unreadable();
  await input.store.put({ kind, id: parsed.id, owner: input.owner, deploymentId: input.deployment!.id, createdAt: Date.now() });
  return asIs(body, contentType);
}

/** A list answer keeps only the caller's objects (the provider account is shared by every gateway key). */
async function ownedOnly(input: ReplyInput, kind: OwnedKind, body: Buffer): Promise<ReplyResult> {
  const parsed = parseObject(body);
  const data = Array.isArray(parsed.data) ? parsed.data : [];
  const ids: string[] = [];
  for (const item of data) if (isJsonObject(item) && typeof item.id === 'string') ids.push(item.id);
  const owned = await input.store.ownedAmong(kind, input.owner, ids);
  const kept = data.filter((item) => isJsonObject(item) && typeof item.id === 'string' && owned.has(item.id));
  // The page's bounds are the kept objects' (the provider's would name someone else's objects).
  const out: JsonObject = { ...parsed, data: kept, first_id: kept.length > 0 ? (kept[0] as JsonObject).id! : null, last_id: kept.length > 0 ? (kept[kept.length - 1] as JsonObject).id! : null };
  return json(out);
}

/** A batch's output and error files belong to the batch's owner, on the batch's deployment. */
async function ownOutputFiles(input: ReplyInput, batch: JsonObject): Promise<void> {
  for (const field of ['output_file_id', 'error_file_id']) {
    const id = batch[field];
    if (typeof id !== 'string' || id === '') continue;
    await input.store.put({ kind: 'file', id, owner: input.owner, deploymentId: input.deployment!.id, createdAt: Date.now() });
  }
}

/** A completed batch's token usage, so spend is recorded when the batch is seen complete. */
function batchUsage(body: JsonObject): Usage | null {
  if (body.status !== 'completed' || !isJsonObject(body.usage)) return null;
  const prompt = numberOf(body.usage.input_tokens);
  const completion = numberOf(body.usage.output_tokens);
  return { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion, cachedPromptTokens: 0, cacheCreationTokens: 0 };
}

/**
 * A retrieved batch: its output files become the owner's, and the first time it is seen completed (by any worker)
 * its usage is reported once, priced at the provider's batch price.
 */
async function retrievedBatch(input: ReplyInput, body: Buffer, contentType: string): Promise<ReplyResult> {
  const parsed = parseObject(body);
  await ownOutputFiles(input, parsed);
  const usage = batchUsage(parsed);
  if (usage === null || typeof parsed.id !== 'string' || !(await input.store.claimUsage(parsed.id))) return asIs(body, contentType);
  const result = asIs(body, contentType, roundCost(batchCost(input.deployment!, usage)));
  result.usage = usage;
  return result;
}

export type ReplyOutcome = ReplyResult | GatewayError;

function settled(pending: Promise<ReplyResult>): Promise<ReplyOutcome> {
  return pending.catch((error: unknown) => (error instanceof GatewayError ? error : unreadable()));
}

export function replyFor(input: ReplyInput, body: Buffer, contentType: string): ReplyOutcome | Promise<ReplyOutcome> {
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
      case 'file_upload':
        return settled(recorded(input, 'file', body, contentType));
      case 'batch_create':
        return settled(recorded(input, 'batch', body, contentType));
      case 'file_list':
        return settled(ownedOnly(input, 'file', body));
      case 'batch_list':
        return settled(ownedOnly(input, 'batch', body));
      case 'file_delete': {
        const parsed = parseObject(body);
        if (typeof parsed.id !== 'string') return asIs(body, contentType);
        return settled(input.store.delete('file', parsed.id).then(() => asIs(body, contentType)));
      }
      case 'batch_retrieve':
        return settled(retrievedBatch(input, body, contentType));
      default:
        return asIs(body, contentType);
    }
  } catch (error) {
    return error instanceof GatewayError ? error : unreadable();
  }
}
