// Makes the compiled CLI directly executable (npm's bin link needs the shebang and the mode bit).
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
const source = readFileSync(cli, 'utf8');
if (!source.startsWith('#!')) writeFileSync(cli, `#!/usr/bin/env node\n${source}`);
chmodSync(cli, 0o755);

// Data files the compiled code reads at run time.
import { copyFileSync, mkdirSync } from 'node:fs';
mkdirSync(new URL('../dist/spend/', import.meta.url), { recursive: true });
copyFileSync(new URL('../src/spend/model-prices.json', import.meta.url), new URL('../dist/spend/model-prices.json', import.meta.url));
