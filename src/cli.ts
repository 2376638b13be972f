// Entry point of the `sluice` binary (dist/cli.js).
import { applyMemoryFlags } from './cli/v8-memory-flags.js';

// Before anything else is loaded, so that no code or WebAssembly is compiled under V8's defaults.
applyMemoryFlags();

process.on('uncaughtException', (error) => {
  process.stderr.write(`sluice: uncaught exception: ${error.stack ?? String(error)}\n`);
  process.exit(1);
});

const { main } = await import('./cli/main.js');
await main(process.argv.slice(2));
