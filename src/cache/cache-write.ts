// Per-request "store after the answer" state, called by the upstream exchange: never delays the client's bytes.
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.js';
import { cacheStats } from './cache-stats.js';
import { logCacheFailure } from './fail-open-log.js';
import type { ResponseCacheStore } from './cache-store.js';
import { mergeEmbeddings, orderedData, singleItemBody } from './embedding-items.js';
import type { SemanticIndex } from './semantic/semantic-index.js';
import { StreamAssembler } from './stream-assembler.js';

/** Where a semantic entry's vector goes once the answer is stored. */
export interface SemanticPlacement {
  index: SemanticIndex;
  bucket: string;
  vector: Float32Array;
}

/** An embedding batch in flight: which items were hits (their vectors) and the keys of the ones sent upstream. */
export interface EmbeddingBatch {
  cached: Array<JsonValue | undefined>;
  missingKeys: string[];
  /** True when some items were hits, so the body sent to the client must be merged. */
  partial: boolean;
}

function nowSeconds(): number {
  return Date.now() / 1000;
}

export class CacheWrite {
  private readonly store: ResponseCacheStore;
  private readonly key: string;
  private readonly ttlSeconds: number | null;
  /** False for `no-store`: the write exists only to merge a partial embedding hit. */
  private readonly storing: boolean;
  readonly assembler: StreamAssembler | null;
  private readonly batch: EmbeddingBatch | null;
  private readonly semantic: SemanticPlacement | null;

  constructor(store: ResponseCacheStore, key: string, ttlSeconds: number | null, options: { stream: boolean; storing: boolean; batch: EmbeddingBatch | null; semantic: SemanticPlacement | null }) {
    this.store = store;
    this.key = key;
    this.ttlSeconds = ttlSeconds;
    this.storing = options.storing;
    this.assembler = options.stream && options.storing ? new StreamAssembler() : null;
    this.batch = options.batch;
    this.semantic = options.semantic;
  }

  /** A stream's bytes as forwarded to the client (translated streams pass text). */
  onStreamChunk(chunk: Buffer | string): void {
    this.assembler?.push(chunk);
  }

  /** After the client's stream ended: assemble and store. */
  onStreamEnd(): void {
    const body = this.assembler?.assemble() ?? null;
    if (body !== null) this.save(this.key, body);
  }

  /** A successful non-stream body: stores it and returns what the client gets (merged for partial embedding hits). */
  onBody(body: Buffer): Buffer {
    if (this.batch === null) {
      if (this.storing) this.save(this.key, body.toString('utf8'));
      return body;
    }
    return this.onEmbeddingBody(body, this.batch);
  }

  private onEmbeddingBody(body: Buffer, batch: EmbeddingBatch): Buffer {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return body;
    }
    if (!isJsonObject(parsed)) return body;
    const data = orderedData(parsed);
    if (data === null || data.length !== batch.missingKeys.length) return body;
    if (this.storing) {
      for (let index = 0; index < data.length; index++) this.save(batch.missingKeys[index]!, singleItemBody(data[index]!.embedding ?? null, parsed.model));
    }
    if (!batch.partial) return body;
    const merged: JsonObject = mergeEmbeddings(batch.cached, data, parsed.model ?? null, parsed.usage);
    return Buffer.from(JSON.stringify(merged));
  }

  private save(key: string, response: string): void {
    cacheStats.stores++;
    const pending = this.store.set(key, { timestamp: nowSeconds(), response }, this.ttlSeconds);
    if (pending instanceof Promise) pending.catch(ignore);
    // An ANN insert costs 0.2–2 ms (bench/semantic-index.mjs): run it after the answer has been written, not before.
    if (this.semantic !== null) setImmediate(indexVector, this.semantic, key, this.ttlSeconds);
  }
}

function indexVector(placement: SemanticPlacement, key: string, ttlSeconds: number | null): void {
  try {
    placement.index.add(placement.bucket, key, placement.vector, ttlSeconds);
  } catch (error) {
    cacheStats.errors++;
    logCacheFailure('semantic-add', error);
  }
}

function ignore(): void {}
