// Makes the compiled CLI directly executable (npm's bin link needs the shebang and the mode bit).
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
const source = readFileSync(cli, 'utf8');
if (!source.startsWith('#!')) writeFileSync(cli, `#!/usr/bin/env node\n${source}`);
chmodSync(cli, 0o755);
