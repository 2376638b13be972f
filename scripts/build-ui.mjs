// Builds the admin UI (ui/, its own package) into dist/ui with Vite: installs ui/'s locked dev dependencies first
// when ui/node_modules is missing, and skips the build when dist/ui is newer than every UI source file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const ui = join(root, 'ui');
const index = join(root, 'dist', 'ui', 'index.html');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

function run(args) {
  const result = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(join(ui, 'package.json'))) process.exit(0);
const sources = ['src', 'index.html', 'vite.config.ts', 'package-lock.json'].map((name) => join(ui, name)).filter(existsSync);
if (existsSync(index) && statSync(index).mtimeMs > Math.max(...sources.map(newest)) && process.env.SLUICE_UI_REBUILD !== '1') process.exit(0);
if (!existsSync(join(ui, 'node_modules', '.bin', 'vite'))) run(['--prefix', ui, 'ci', '--no-audit', '--no-fund']);
run(['--prefix', ui, 'run', 'build', '--silent']);
