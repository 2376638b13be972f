// SemanticIndex over the real usearch HNSW index: hits above and misses below the threshold, scoping by bucket,
// expiry and removal, the entry and bucket bounds, capacity growth, and sharing through the real Redis.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { REDIS_HOST, REDIS_PORT, redisSkip, uniqueNamespace } from '../../../test/support/redis.js';
import { createRedisClient } from '../redis-store.js';
import { loadAnnLibrary } from './ann-library.js';
import { SemanticIndex, type SemanticIndexOptions } from './semantic-index.js';
import { READ_CHUNK } from './shared-vectors.js';

const skip = await redisSkip();
const createIndex = loadAnnLibrary();
const DIMS = 64;

/** A deterministic pseudo-random unit-free vector (xorshift), so failures reproduce. */
function randomVector(seed: number, dims = DIMS): Float32Array {
  let state = (seed * 2654435761) >>> 0 || 1;
  const out = new Float32Array(dims);
  for (let index = 0; index < dims; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[index] = ((state >>> 0) / 0xffffffff) - 0.5;
  }
  return out;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let index = 0; index < a.length; index++) {
    dot += a[index]! * b[index]!;
    na += a[index]! * a[index]!;
    nb += b[index]! * b[index]!;
  }
  return dot / Math.sqrt(na * nb);
}

/** `base` turned towards an orthogonal direction so that cosine(base, result) is exactly `similarity`. */
function atSimilarity(base: Float32Array, similarity: number, seed: number): Float32Array {
  const other = randomVector(seed, base.length);
  const baseNorm = Math.sqrt(base.reduce((sum, x) => sum + x * x, 0));
  const unit = base.map((x) => x / baseNorm);
  const projection = other.reduce((sum, x, index) => sum + x * unit[index]!, 0);
  const orthogonal = other.map((x, index) => x - projection * unit[index]!);
  const orthogonalNorm = Math.sqrt(orthogonal.reduce((sum, x) => sum + x * x, 0));
  const sine = Math.sqrt(1 - similarity * similarity);
  return unit.map((x, index) => similarity * x + (sine * orthogonal[index]!) / orthogonalNorm);
}

function makeIndex(options: Partial<SemanticIndexOptions> = {}): { index: SemanticIndex; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  const index = new SemanticIndex(null, null, { createIndex, maxEntries: 1_000, searchWidth: 64, now: () => clock.now, ...options });
  return { index, clock };
}

describe('semantic index (usearch)', () => {
  test('a vector above the threshold hits with its cosine; one below misses', async () => {
    const { index } = makeIndex();
    const stored = randomVector(1);
    index.add('bucket', 'key-1', stored, null);
    for (let seed = 2; seed < 40; seed++) index.add('bucket', `noise-${seed}`, randomVector(seed), null);
    const close = atSimilarity(stored, 0.95, 100);
    const match = await index.search('bucket', close, 0.9);
    assert.equal(match?.key, 'key-1');
    assert.ok(Math.abs(match!.score - cosine(stored, close)) < 1e-4, `score ${match!.score} is the cosine`);
    assert.equal(await index.search('bucket', atSimilarity(stored, 0.85, 101), 0.9), null);
    assert.equal((await index.search('bucket', stored, 0.999))?.key, 'key-1', 'the vector itself scores 1');
    index.close();
  });

  test('buckets are separate: a vector in one bucket (key/team scope, params) is not found from another', async () => {
    const { index } = makeIndex();
    const vector = randomVector(7);
    index.add('team-a', 'a-key', vector, null);
    assert.equal((await index.search('team-a', vector, 0.9))?.key, 'a-key');
    assert.equal(await index.search('team-b', vector, 0.9), null);
    assert.equal(index.stats().buckets, 1, 'a search without Redis creates no bucket');
    index.close();
  });

  test('entries expire: a search meets and removes them; sweep removes the rest and empty buckets', async () => {
    const { index, clock } = makeIndex();
    const short = randomVector(11);
    const long = randomVector(12);
    index.add('bucket', 'short', short, 10);
    index.add('bucket', 'long', long, 100);
    index.add('other', 'other-short', randomVector(13), 10);
    assert.equal((await index.search('bucket', short, 0.99))?.key, 'short');
    clock.now += 11_000;
    assert.equal(await index.search('bucket', short, 0.99), null, 'expired: no hit');
    assert.equal(index.stats().entries, 2, 'the expired neighbour the search met was removed');
    assert.equal((await index.search('bucket', long, 0.99))?.key, 'long');
    assert.equal(index.sweep(), 1, 'the sweep removes the other bucket\'s expired entry');
    assert.deepEqual({ buckets: index.stats().buckets, entries: index.stats().entries }, { buckets: 1, entries: 1 });
    clock.now += 100_000;
    assert.equal(index.sweep(), 1);
    assert.equal(index.stats().buckets, 0);
    index.close();
  });

  test('forget removes an entry the store no longer has; re-adding a key replaces its vector', async () => {
    const { index } = makeIndex();
    const first = randomVector(21);
    const second = randomVector(22);
    index.add('bucket', 'key', first, null);
    index.add('bucket', 'key', second, null);
    assert.equal(index.stats().entries, 1);
    assert.equal(await index.search('bucket', first, 0.99), null, 'the old vector is gone');
    assert.equal((await index.search('bucket', second, 0.99))?.key, 'key');
    index.forget('bucket', 'key');
    assert.equal(await index.search('bucket', second, 0.5), null);
    assert.equal(index.stats().entries, 0);
    index.close();
  });

  test('bounded: past max entries the least recently used bucket\'s oldest go; past max buckets the LRU bucket', async () => {
    const { index } = makeIndex({ maxEntries: 3, maxBuckets: 2 });
    const vectors = [0, 1, 2, 3].map((seed) => randomVector(30 + seed));
    index.add('old', 'o0', vectors[0]!, null);
    index.add('old', 'o1', vectors[1]!, null);
    index.add('new', 'n0', vectors[2]!, null);
    index.add('new', 'n1', vectors[3]!, null);
    assert.equal(index.stats().entries, 3);
    assert.equal(await index.search('old', vectors[0]!, 0.99), null, 'oldest entry of the LRU bucket evicted');
    assert.equal((await index.search('old', vectors[1]!, 0.99))?.key, 'o1');
    assert.equal((await index.search('new', vectors[2]!, 0.99))?.key, 'n0');
    index.add('third', 't0', randomVector(40), null);
    assert.equal(index.stats().buckets, 2, 'the least recently used bucket ("old") was dropped');
    assert.equal(await index.search('old', vectors[1]!, 0.5), null);
    assert.equal((await index.search('new', vectors[3]!, 0.99))?.key, 'n1');
    index.close();
  });

  test('capacity grows as entries are added, and removed slots are reused rather than grown', async () => {
    const { index } = makeIndex({ maxEntries: 300 });
    index.add('bucket', 'k0', randomVector(1000), null);
    const initial = index.stats().capacity;
    for (let n = 1; n < 300; n++) index.add('bucket', `k${n}`, randomVector(1000 + n), null);
    const grown = index.stats().capacity;
    assert.ok(grown >= 300 && grown > initial, `capacity ${initial} → ${grown}`);
    let found = 0;
    for (let n = 0; n < 300; n++) if ((await index.search('bucket', randomVector(1000 + n), 0.99))?.key === `k${n}`) found++;
    assert.equal(found, 300, 'every entry is found after the growth');
    // At the bound, each new entry evicts the oldest and takes its slot.
    for (let n = 300; n < 600; n++) index.add('bucket', `k${n}`, randomVector(1000 + n), null);
    assert.equal(index.stats().entries, 300);
    assert.equal(index.stats().capacity, grown);
    assert.equal((await index.search('bucket', randomVector(1599), 0.99))?.key, 'k599');
    index.close();
  });

  test('zero vectors are never indexed or matched; a new embedding size renews the bucket', async () => {
    const { index } = makeIndex();
    index.add('bucket', 'zero', new Float32Array(DIMS), null);
    assert.equal(index.stats().entries, 0);
    index.add('bucket', 'small', randomVector(50, 16), null);
    index.add('bucket', 'large', randomVector(51, 32), null);
    assert.deepEqual({ buckets: index.stats().buckets, entries: index.stats().entries }, { buckets: 1, entries: 1 });
    assert.equal(await index.search('bucket', randomVector(50, 16), 0.5), null);
    assert.equal(await index.search('bucket', new Float32Array(DIMS), 0), null);
    index.close();
  });
});

describe('semantic index shared through Redis', { skip }, () => {
  function client() {
    return createRedisClient({ host: REDIS_HOST, port: REDIS_PORT, password: null, username: null, db: 0, tls: false }, 1_000);
  }

  async function ready(redis: ReturnType<typeof client>): Promise<void> {
    if (redis.status !== 'ready') await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  }

  test('what one instance adds, another finds; a cold instance catches up in chunks; expiry travels along', async () => {
    const namespace = uniqueNamespace('sem-index');
    const writerRedis = client();
    const readerRedis = client();
    await Promise.all([ready(writerRedis), ready(readerRedis)]);
    const writer = new SemanticIndex(writerRedis, namespace, { createIndex, maxEntries: 1_000 });
    const reader = new SemanticIndex(readerRedis, namespace, { createIndex, maxEntries: 1_000 });
    try {
      const first = randomVector(60);
      writer.add('bucket', 'first', first, 60);
      await writerRedis.ping(); // the add's MULTI went out before this answer
      const hit = await reader.search('bucket', atSimilarity(first, 0.95, 61), 0.9);
      assert.equal(hit?.key, 'first');
      const total = READ_CHUNK * 2 + 10;
      for (let n = 0; n < total; n++) writer.add('bucket', `bulk-${n}`, randomVector(100 + n), 60);
      writer.add('bucket', 'expired', randomVector(99), 0.001);
      await writerRedis.ping();
      const listTtl = await writerRedis.pttl(`${namespace}:sluice-semantic:bucket`);
      assert.ok(listTtl > 30_000, `a short-lived entry does not cut the list's life short (PTTL ${listTtl} ms)`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const newest = randomVector(100 + total - 1);
      assert.equal(await reader.search('bucket', newest, 0.99), null, 'one chunk per search: the newest is not read yet');
      assert.equal(reader.stats().entries, 1 + READ_CHUNK);
      await reader.search('bucket', newest, 0.99);
      assert.equal((await reader.search('bucket', newest, 0.99))?.key, `bulk-${total - 1}`);
      assert.equal(reader.stats().entries, 1 + total, 'every vector indexed once, the expired one skipped');
      const other = new SemanticIndex(readerRedis, namespace, { createIndex, maxEntries: 1_000 });
      for (let round = 0; round < 4; round++) await other.search('bucket', first, 0.99);
      assert.equal((await other.search('bucket', first, 0.99))?.key, 'first', 'a new instance reads the list from its oldest');
      other.close();
    } finally {
      writer.close();
      reader.close();
      const keys = await writerRedis.keys(`${namespace}:*`);
      if (keys.length > 0) await writerRedis.del(...keys);
      writerRedis.disconnect();
      readerRedis.disconnect();
    }
  });
});
