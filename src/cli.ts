// Entry point of the `sluice` binary (dist/cli.js).
import { main } from './cli/main.js';

process.on('uncaughtException', (error) => {
  process.stderr.write(`sluice: uncaught exception: ${error.stack ?? String(error)}\n`);
  process.exit(1);
});

await main(process.argv.slice(2));
