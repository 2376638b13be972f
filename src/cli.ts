// Entry point of the `sluice` binary (dist/cli.js).
import { applyMemoryFlags } from './cli/v8-memory-flags.js';

// Before anything else is loaded, so that no code or WebAssembly is compiled under V8's defaults. Not for the mock
// provider: a test double whose memory does not matter, and which allocates enough that more frequent full GCs
// tripled its p99 (1,000 streams/s: 7–8 → 19 ms), which the benchmarks would then measure in every target.
if (process.argv[2] !== 'mock') applyMemoryFlags();

process.on('uncaughtException', (error) => {
  process.stderr.write(`sluice: uncaught exception: ${error.stack ?? String(error)}\n`);
  process.exit(1);
});

const { main } = await import('./cli/main.js');
await main(process.argv.slice(2));
