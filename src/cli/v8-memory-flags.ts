// V8 settings that keep a gateway process's memory flat, applied at start-up (before the first upstream connection).
import { setFlagsFromString } from 'node:v8';

/**
 * Each entry: the flags to set, and the names that, when the operator passes any of them to node on its command line
 * (NODE_OPTIONS does not accept these V8 flags), leave the entry alone.
 *
 * - WebAssembly runs on V8's baseline compiler only. The only WebAssembly a gateway runs is undici's HTTP parser
 *   (llhttp): on the first upstream response V8 tiered its state machine up to TurboFan, whose register allocator
 *   took ~35 MB for a moment and left ~10 MB behind — every Node proxy's peak RSS (bare proxy: 97 MB, Sluice: 130 MB,
 *   of which ~92 MB before the first request). The price is the parser's speed: in a `perf` profile of the closed
 *   loop it took ~2.6 µs per request baseline-compiled against ~0.9 µs with TurboFan (about 1.5% of Sluice's CPU per
 *   request); alternating closed-loop runs of the bare proxy with and without could not tell them apart.
 * - The old generation may grow by 30% of what survived the last full GC before the next one. V8's own factor, on a
 *   machine with gigabytes, is up to 4×: on the load benchmark the heap went from 20 MB live to 59 MB of garbage
 *   promoted from finished requests before a full GC brought it back to 21 MB. The price is more full GCs: at ~20 MB
 *   live each pauses the loop for 2–8 ms at its end (on one core), every few seconds at 1,000 req/s, about once a
 *   second with streams or a logging callback (which promote more). Pass `--heap-growing-percent=N` to node to trade
 *   the other way.
 */
const MEMORY_FLAGS: ReadonlyArray<{ flags: readonly string[]; unlessGiven: readonly string[] }> = [
  { flags: ['--no-wasm-dynamic-tiering', '--no-wasm-tier-up'], unlessGiven: ['wasm-dynamic-tiering', 'wasm-tier-up', 'liftoff', 'liftoff-only'] },
  { flags: ['--heap-growing-percent=30'], unlessGiven: ['heap-growing-percent'] },
];

function givenToNode(name: string, given: string): boolean {
  const pattern = name.replace(/-/g, '[-_]');
  return new RegExp(`(^|\\s)--(no-)?${pattern}(=|\\s|$)`).test(given);
}

/** Applies every entry the operator did not set themselves; returns the flags applied. */
export function applyMemoryFlags(given = process.execArgv.join(' ')): string[] {
  const applied: string[] = [];
  for (const entry of MEMORY_FLAGS) {
    if (entry.unlessGiven.some((name) => givenToNode(name, given))) continue;
    for (const flag of entry.flags) setFlagsFromString(flag);
    applied.push(...entry.flags);
  }
  return applied;
}
