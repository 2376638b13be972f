// Data files the compiled code reads at run time. (The CLI's shebang and mode bit are set by scripts/bundle.mjs,
// which replaces dist/cli.js with a stub that loads the bundle.)
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync(new URL('../dist/spend/', import.meta.url), { recursive: true });
copyFileSync(new URL('../src/spend/model-prices.json', import.meta.url), new URL('../dist/spend/model-prices.json', import.meta.url));
