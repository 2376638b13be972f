// Semantic-cache lookup micro-benchmark (against dist/): the old exact cosine scan (JS, over a Map of vectors, as
// Sluice ≤ this change did it) vs the usearch HNSW bucket that replaced it, at 1k, 10k and 100k entries of 1,536-dim
// vectors. Reports median µs per lookup, recall against the exact scan, insert cost and memory per entry.
// Usage: npm run build && node --expose-gc bench/semantic-index.mjs [sizes=1000,10000,100000] [dims=1536] [width=64]
// (width: candidates per search, `semantic_cache_search_expansion`).
// Data: seeded random vectors, either iid Gaussian ("random": the worst case for a graph index, every point about
// equally far from every other) or "clustered" (points around n/50 centres at cosine ≈ 0.7, more like real prompts).
// Queries: 200 random vectors (recall@1: ANN's best is the exact best), and 200 near-duplicates of stored entries at
// cosine 0.95 (the cache's question: is an entry above the 0.9 threshold found?).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { ANN_CONNECTIVITY, ANN_EXPANSION_ADD, ANN_EXPANSION_SEARCH, loadAnnLibrary } from '../dist/cache/semantic/ann-library.js';
import { VectorBucket } from '../dist/cache/semantic/vector-bucket.js';

const SIZES = (process.argv[2] ?? '1000,10000,100000').split(',').map(Number);
const DIMS = Number(process.argv[3] ?? 1536);
const WIDTH = Number(process.argv[4] ?? ANN_EXPANSION_SEARCH);
const QUERIES = 200;
/** The exact scan at 100k × 1,536 takes ~0.3 s a lookup: fewer lookups are timed there (recall still uses all). */
const EXACT_TIMED = (n) => (n >= 100_000 ? 20 : n >= 10_000 ? 60 : QUERIES);
const THRESHOLD = 0.9;

/** mulberry32: seeded, so every run sees the same data. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random) {
  return Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
}

function normalise(v) {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

function gaussianVector(random) {
  const v = new Float32Array(DIMS);
  for (let i = 0; i < DIMS; i++) v[i] = gaussian(random);
  return normalise(v);
}

/** `unit` turned towards a random direction so that the cosine to `unit` is `similarity`. */
function turned(unit, similarity, random) {
  const other = gaussianVector(random);
  let projection = 0;
  for (let i = 0; i < DIMS; i++) projection += other[i] * unit[i];
  for (let i = 0; i < DIMS; i++) other[i] -= projection * unit[i];
  normalise(other);
  const sine = Math.sqrt(1 - similarity * similarity);
  const out = new Float32Array(DIMS);
  for (let i = 0; i < DIMS; i++) out[i] = similarity * unit[i] + sine * other[i];
  return out;
}

function dataset(kind, n, seed) {
  const random = rng(seed);
  if (kind === 'random') return Array.from({ length: n }, () => gaussianVector(random));
  const centres = Array.from({ length: Math.max(1, Math.floor(n / 50)) }, () => gaussianVector(random));
  return Array.from({ length: n }, () => turned(centres[Math.floor(random() * centres.length)], 0.7, random));
}

// The old lookup, as src/cache/semantic/semantic-index.ts had it: cosine (norms not assumed) over every vector.
function cosine(a, b) {
  const length = Math.min(a.length, b.length);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < length; index++) {
    const x = a[index];
    const y = b[index];
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

function exactScan(vectors, query, threshold) {
  let best = null;
  for (const [key, candidate] of vectors) {
    const score = cosine(query, candidate);
    if (score >= threshold && (best === null || score > best.score)) best = { key, score };
  }
  return best;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeEach(queries, fn) {
  const out = [];
  for (const query of queries) {
    const start = performance.now();
    fn(query);
    out.push((performance.now() - start) * 1000);
  }
  return out;
}

function rssMB() {
  globalThis.gc?.();
  return process.memoryUsage().rss / 2 ** 20;
}

function run(kind, n) {
  const vectors = dataset(kind, n, n + (kind === 'random' ? 1 : 2));
  const random = rng(n * 7 + 3);
  const randomQueries = Array.from({ length: QUERIES }, () => gaussianVector(random));
  const targets = Array.from({ length: QUERIES }, () => Math.floor(random() * n));
  const nearQueries = targets.map((target) => turned(vectors[target], 0.95, random));

  const exact = new Map();
  for (let i = 0; i < n; i++) exact.set(`k${i}`, vectors[i]);

  const rssBefore = rssMB();
  const bucket = new VectorBucket(createIndex(DIMS), DIMS, WIDTH);
  const addUs = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    bucket.add(`k${i}`, vectors[i], Infinity);
    addUs.push((performance.now() - start) * 1000);
  }
  const rssPerEntry = ((rssMB() - rssBefore) * 2 ** 20) / n;

  // Warm both paths (JIT, caches), then time them interleaved in blocks so machine noise hits both alike.
  exactScan(exact, randomQueries[0], -1);
  bucket.search(randomQueries[0], -1, 0);
  const exactTimed = randomQueries.slice(0, EXACT_TIMED(n));
  const exactUs = timeEach(exactTimed, (q) => exactScan(exact, q, -1));
  const annUs = timeEach(randomQueries, (q) => bucket.search(q, -1, 0));
  const annNearUs = timeEach(nearQueries, (q) => bucket.search(q, THRESHOLD, 0));

  let recall1 = 0;
  for (const q of randomQueries) if (bucket.search(q, -1, 0)?.key === exactScan(exact, q, -1)?.key) recall1++;
  let nearFound = 0;
  let nearExact = 0;
  for (let i = 0; i < QUERIES; i++) {
    const truth = exactScan(exact, nearQueries[i], THRESHOLD);
    if (truth === null) continue;
    nearExact++;
    if (bucket.search(nearQueries[i], THRESHOLD, 0)?.key === truth.key) nearFound++;
  }
  return {
    kind, n,
    exactUs: median(exactUs), exactTimed: exactTimed.length,
    annUs: median(annUs), annNearUs: median(annNearUs),
    recall1: recall1 / QUERIES, nearRecall: nearExact === 0 ? NaN : nearFound / nearExact, nearExact,
    addUs: median(addUs), addP99Us: [...addUs].sort((a, b) => a - b)[Math.floor(addUs.length * 0.99)],
    rssPerEntryKB: rssPerEntry / 1024, capacity: bucket.capacity(),
  };
}

const createIndex = loadAnnLibrary();
const cpus = os.cpus();
console.log('Semantic index lookup: old exact cosine scan (JS) vs usearch HNSW bucket (dist/cache/semantic/vector-bucket.js)');
console.log(`machine  ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`method   ${DIMS}-dim float32, cosine; HNSW connectivity ${ANN_CONNECTIVITY}, expansion add ${ANN_EXPANSION_ADD} / search ${Math.max(ANN_EXPANSION_SEARCH, WIDTH)} (${WIDTH} candidates), one thread; ${QUERIES} random + ${QUERIES} near-duplicate (cos 0.95) queries; medians`);
console.log('');
console.log('data       entries  exact µs (n)      ANN µs random  ANN µs near  speed-up  recall@1 random  near-dup found  insert µs p50/p99  RSS KB/entry');
for (const kind of ['random', 'clustered']) {
  for (const n of SIZES) {
    const r = run(kind, n);
    console.log(
      `${r.kind.padEnd(10)} ${String(r.n).padStart(7)}  ${r.exactUs.toFixed(0).padStart(8)} (${String(r.exactTimed).padStart(3)})  ${r.annUs.toFixed(0).padStart(13)}  ${r.annNearUs.toFixed(0).padStart(11)}  ${(r.exactUs / r.annUs).toFixed(1).padStart(7)}×  ${r.recall1.toFixed(3).padStart(15)}  ${`${r.nearRecall.toFixed(3)} of ${r.nearExact}`.padStart(14)}  ${`${r.addUs.toFixed(0)}/${r.addP99Us.toFixed(0)}`.padStart(17)}  ${r.rssPerEntryKB.toFixed(1).padStart(12)}`,
    );
  }
}
console.log(`\nload average after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
