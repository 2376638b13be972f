// The cache stage of the hot path: derive the key, honour the request's controls, answer hits, arrange the store.
import type { ModelGroup } from '../config/snapshot.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';
import type { RequestContext } from '../dataplane/request-context.js';
import type { UpstreamPools } from '../dataplane/upstream-pools.js';
import { answerFromCache } from './cache-hit.js';
import { cacheKey, cacheKeyText, sha256Hex, withNamespace } from './cache-key.js';
import { readCacheControls, type CacheControls } from './cache-controls.js';
import type { CacheSettings } from './cache-settings.js';
import { cacheStats } from './cache-stats.js';
import type { CachedEntry, ResponseCacheStore } from './cache-store.js';
import { CacheWrite, type EmbeddingBatch } from './cache-write.js';
import { embeddingItems, mergeEmbeddings, storedEmbedding } from './embedding-items.js';
import { logCacheFailure } from './fail-open-log.js';
import { embedPrompt, promptTextOf } from './semantic/embed-prompt.js';
import type { SemanticIndex } from './semantic/semantic-index.js';

/** Continues a request upstream (or to the local mock) after a miss; the gateway's own dispatch tail. */
export type ForwardRequest = (ctx: RequestContext, body: JsonObject) => void;

export interface SemanticSetup {
  index: SemanticIndex;
  embeddingGroup: ModelGroup;
  pools: UpstreamPools;
}

/** Per-request facts the lookup continues with after an await (kept in one object, no closures). */
interface Lookup {
  ctx: RequestContext;
  body: JsonObject;
  key: string;
  controls: CacheControls;
  ttlSeconds: number | null;
  maxAgeSeconds: number | null;
}

function includeUsageOf(body: JsonObject): boolean {
  const options = body.stream_options;
  return isJsonObject(options) && options.include_usage === true;
}

function fresh(entry: CachedEntry | null, maxAgeSeconds: number | null): entry is CachedEntry {
  return entry !== null && (maxAgeSeconds === null || Date.now() / 1000 - entry.timestamp <= maxAgeSeconds);
}

export class ResponseCache {
  readonly settings: CacheSettings;
  readonly store: ResponseCacheStore;
  private readonly forward: ForwardRequest;
  private readonly semantic: SemanticSetup | null;

  /** Undoes start-up registrations (the readiness probe); set by createResponseCache. */
  onClose: (() => void) | null = null;

  constructor(settings: CacheSettings, store: ResponseCacheStore, forward: ForwardRequest, semantic: SemanticSetup | null) {
    this.settings = settings;
    this.store = store;
    this.forward = forward;
    this.semantic = semantic;
  }

  async close(): Promise<void> {
    this.onClose?.();
    this.semantic?.index.close();
    await this.store.close();
  }

  /** Drops this process's semantic vectors (after a flush; shared ones are read again from Redis if still there). */
  clearSemanticIndex(): void {
    this.semantic?.index.clear();
  }

  /**
   * Runs after the deployment group is resolved. Returns false when the request should go on synchronously
   * (not cacheable, a miss answered from memory, `no-cache`); true when the cache answered or took it over.
   * Throws a 403 GatewayError when the key may not use a control it sent.
   */
  intercept(ctx: RequestContext, body: JsonObject): boolean {
    const settings = this.settings;
    if (!settings.operations.has(ctx.operation)) return false;
    const header = ctx.req.headers['cache-control'];
    const controls = readCacheControls(body, typeof header === 'string' ? header : undefined, ctx.allowedCacheControls);
    if (!settings.defaultOn && !controls.useCache) return false;
    if (controls.noCache && controls.noStore) return false;
    const group = ctx.group!.name;
    const override = settings.perModel.get(group);
    const namespace = controls.namespace ?? settings.namespace;
    const key = cacheKey(body, group, namespace);
    ctx.cacheKey = key;
    const lookup: Lookup = {
      ctx, body, key, controls,
      ttlSeconds: controls.ttlSeconds ?? override?.ttlSeconds ?? settings.ttlSeconds,
      maxAgeSeconds: controls.sMaxAgeSeconds ?? override?.sMaxAgeSeconds ?? null,
    };
    if (ctx.operation === 'embedding') return this.interceptEmbedding(lookup, namespace);
    if (controls.noCache) {
      this.arrangeWrite(lookup, null, null);
      return false;
    }
    const found = this.store.get(key);
    if (found instanceof Promise) {
      found.then((entry) => this.afterLookup(lookup, entry), (error: unknown) => this.afterLookupError(lookup, error));
      return true;
    }
    if (fresh(found, lookup.maxAgeSeconds)) return this.hit(lookup, found);
    if (this.semantic !== null) {
      this.semanticLookup(lookup).catch((error: unknown) => this.afterLookupError(lookup, error));
      return true;
    }
    cacheStats.misses++;
    this.arrangeWrite(lookup, null, null);
    return false;
  }

  private hit(lookup: Lookup, entry: CachedEntry): true {
    cacheStats.hits++;
    answerFromCache(lookup.ctx, entry, includeUsageOf(lookup.body));
    return true;
  }

  private arrangeWrite(lookup: Lookup, batch: EmbeddingBatch | null, semantic: { bucket: string; vector: Float32Array } | null): void {
    const ctx = lookup.ctx;
    const storing = !lookup.controls.noStore;
    if (!storing && batch === null) return;
    const placement = semantic === null || this.semantic === null ? null : { index: this.semantic.index, bucket: semantic.bucket, vector: semantic.vector };
    ctx.cacheWrite = new CacheWrite(this.store, lookup.key, lookup.ttlSeconds, { stream: ctx.stream, storing, batch, semantic: placement });
  }

  /** Continues after an asynchronous lookup: answer a hit, else forward (the request stays in the gateway's hands). */
  private afterLookup(lookup: Lookup, entry: CachedEntry | null): void {
    try {
      this.continueLookup(lookup, entry);
    } catch (error) {
      this.afterLookupError(lookup, error);
    }
  }

  private continueLookup(lookup: Lookup, entry: CachedEntry | null): void {
    if (lookup.ctx.clientGone) return;
    if (fresh(entry, lookup.maxAgeSeconds)) {
      this.hit(lookup, entry);
      return;
    }
    if (this.semantic !== null) {
      this.semanticLookup(lookup).catch((error: unknown) => this.afterLookupError(lookup, error));
      return;
    }
    cacheStats.misses++;
    this.arrangeWrite(lookup, null, null);
    this.forward(lookup.ctx, lookup.body);
  }

  /** Any failure of the cache stage after it took the request: log (rate-limited) and go upstream, fail open. */
  private afterLookupError(lookup: Lookup, error: unknown): void {
    cacheStats.errors++;
    logCacheFailure('lookup', error);
    if (lookup.ctx.clientGone || lookup.ctx.res.headersSent) return;
    lookup.ctx.cacheWrite = null;
    this.forward(lookup.ctx, lookup.body);
  }

  private async semanticLookup(lookup: Lookup): Promise<void> {
    const semantic = this.semantic!;
    const { ctx, body } = lookup;
    const namespace = lookup.controls.namespace ?? this.settings.namespace;
    const bucket = withNamespace(sha256Hex(cacheKeyText(body, ctx.group!.name, undefined, true) + ctx.cacheScope), namespace);
    const vector = await embedPrompt(semantic.embeddingGroup, semantic.pools, promptTextOf(body), this.settings.embeddingTimeoutMs);
    if (ctx.clientGone) return;
    if (vector !== null && !lookup.controls.noCache) {
      const match = await semantic.index.search(bucket, vector, this.settings.similarityThreshold);
      const errorsBefore = cacheStats.errors;
      const entry = match === null ? null : await this.store.get(match.key);
      // The store evicted or deleted it (LRU bound, /cache/delete, Redis eviction): stop matching it. A failed Redis
      // read also answers null; when any cache error was counted meanwhile the vector is kept, to be safe.
      if (match !== null && entry === null && cacheStats.errors === errorsBefore) semantic.index.forget(bucket, match.key);
      if (ctx.clientGone) return;
      if (fresh(entry, lookup.maxAgeSeconds)) {
        cacheStats.semanticHits++;
        this.hit(lookup, entry);
        return;
      }
    }
    cacheStats.misses++;
    this.arrangeWrite(lookup, null, vector === null ? null : { bucket, vector });
    this.forward(ctx, body);
  }

  private interceptEmbedding(lookup: Lookup, namespace: string | null): boolean {
    const items = embeddingItems(lookup.body.input);
    if (items === null) return false;
    // Per item, as LiteLLM keys embedding items: the body with `input` set to that one item.
    const keys: string[] = items.map((item) => cacheKey(lookup.body, lookup.ctx.group!.name, namespace, item));
    if (lookup.controls.noCache) {
      this.arrangeWrite(lookup, { cached: items.map(() => undefined), missingKeys: keys, partial: false }, null);
      return false;
    }
    const found = this.store.getMany(keys);
    if (found instanceof Promise) {
      found.then((entries) => this.afterEmbeddingLookup(lookup, items, keys, entries, true)).catch((error: unknown) => this.afterLookupError(lookup, error));
      return true;
    }
    return this.afterEmbeddingLookup(lookup, items, keys, found, false);
  }

  /** Answers all-hit batches, forwards the missing items of partial ones; returns whether it took the request. */
  private afterEmbeddingLookup(lookup: Lookup, items: JsonValue[], keys: string[], entries: Array<CachedEntry | null>, async: boolean): boolean {
    if (lookup.ctx.clientGone) return true;
    const cached: Array<JsonValue | undefined> = [];
    const missingItems: JsonValue[] = [];
    const missingKeys: string[] = [];
    let model: JsonValue = null;
    for (let index = 0; index < items.length; index++) {
      const entry = entries[index] ?? null;
      const stored = fresh(entry, lookup.maxAgeSeconds) ? storedEmbedding(entry.response) : undefined;
      cached.push(stored?.embedding);
      if (stored !== undefined) model = stored.model;
      else {
        missingItems.push(items[index]!);
        missingKeys.push(keys[index]!);
      }
    }
    cacheStats.embeddingItemHits += items.length - missingItems.length;
    if (missingItems.length === 0) {
      const single = items.length === 1 && entries[0] !== null;
      return this.hit(lookup, single ? entries[0]! : { timestamp: 0, response: JSON.stringify(mergeEmbeddings(cached, [], model, undefined)) });
    }
    cacheStats.misses++;
    const partial = missingItems.length < items.length;
    if (partial) lookup.body.input = missingItems;
    this.arrangeWrite(lookup, { cached, missingKeys, partial }, null);
    if (!async) return false;
    this.forward(lookup.ctx, lookup.body);
    return true;
  }
}
