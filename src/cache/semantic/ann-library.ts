// Loads the native ANN library (usearch, an HNSW index) on first use, so a gateway without a semantic cache never
// maps its 4 MB binary; `createResponseCache` calls it at start-up so a broken install fails there, not per request.
import { createRequire } from 'node:module';

/** What a search returns: labels and cosine distances (1 − similarity), nearest first. */
export interface AnnMatches {
  keys: BigUint64Array;
  distances: Float32Array;
}

/** The part of usearch's `Index` the semantic cache uses (labels are unsigned 64-bit integers). */
export interface AnnIndex {
  add(label: bigint, vector: Float32Array, threads: number): void;
  search(vector: Float32Array, k: number, threads: number): AnnMatches;
  remove(label: bigint): number;
  size(): number;
  capacity(): number;
}

/** A fresh cosine index for vectors of `dimensions` floats. */
export type AnnIndexFactory = (dimensions: number) => AnnIndex;

interface UsearchModule {
  Index: new (config: { dimensions: number; metric: string; quantization: string; connectivity: number; expansion_add: number; expansion_search: number; multi: boolean }) => AnnIndex;
}

/**
 * HNSW parameters. Connectivity 16 is usearch's default. Adding costs a search of depth `expansion_add` on the event
 * loop, so it is lower than usearch's 128; searching keeps usearch's 64 (bench/semantic-index.mjs measures both).
 */
export const ANN_CONNECTIVITY = 16;
export const ANN_EXPANSION_ADD = 64;
export const ANN_EXPANSION_SEARCH = 64;

/** The package the index comes from, for messages. */
export const ANN_PACKAGE = 'usearch';

let factory: AnnIndexFactory | null = null;

/** The index factory; loads the native library the first time. Throws (with the loader's reason) when it cannot. */
export function loadAnnLibrary(): AnnIndexFactory {
  if (factory !== null) return factory;
  const { Index } = createRequire(import.meta.url)(ANN_PACKAGE) as UsearchModule;
  const create = (dimensions: number): AnnIndex => new Index({
    dimensions, metric: 'cos', quantization: 'f32', connectivity: ANN_CONNECTIVITY, expansion_add: ANN_EXPANSION_ADD, expansion_search: ANN_EXPANSION_SEARCH, multi: false,
  });
  // One tiny index proves the binary runs on this CPU and C library, not only that the file was found.
  const probe = create(2);
  probe.add(1n, Float32Array.of(1, 0), 1);
  if (probe.search(Float32Array.of(1, 0), 1, 1).keys[0] !== 1n) throw new Error(`${ANN_PACKAGE} returned a wrong answer for a one-vector index`);
  factory = create;
  return create;
}
