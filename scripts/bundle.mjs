// Bundles the compiled gateway (dist/cli.js and the spend write thread's entry) into a few files in dist/bundle/.
//
// Why: Node keeps per-module state for every module it loads (its record, source, wrapper and loader bookkeeping):
// about 40–70 KB each. The gateway loaded ~930 modules (263 of its own, 262 of kysely's ESM build, zod, yaml,
// prom-client, …), the spend write thread another ~300; one bundle per entry with lazy chunks for what is imported
// on demand (management API, UI, mock server, OpenTelemetry, tokenizer ranks) cuts resident memory by ~10 MB per
// process (data plane, control child and each cluster worker) and starts faster. See README, "Architecture".
//
// How: esbuild bundles the tsc output (dist/), so what is bundled is exactly what the tests type-check. Every
// output file sits in dist/bundle/, and each module's `import.meta.url` is rewritten to the URL its own file had
// in dist/, so paths resolved against it (model-prices.json, the UI's assets, package.json, the control child's
// dist/cli.js, the write thread's entry, createRequire for optional packages) resolve exactly as before.
// dist/cli.js and dist/spend/spend-write-worker.js become one-line stubs that load their bundle.
//
// Left out of the bundle (loaded from node_modules as before): native addons (better-sqlite3, usearch), packages
// loaded through createRequire only when configured (pg, ioredis, AWS SigV4/event stream), undici (its pool is
// required by path in upstream-pools.ts; one copy of it must serve both), and pino (its transports resolve worker
// files by path; Sluice uses none, but a bundled pino would break them silently).
import { build } from 'esbuild';
import { readFile, writeFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const outdir = join(dist, 'bundle');

const EXTERNAL = ['better-sqlite3', 'usearch', 'pg', 'ioredis', '@smithy/*', '@aws-crypto/*', 'undici', 'undici/*', 'pino'];
/** Each entry: its tsc output (replaced by a stub) and its name in dist/bundle/. */
const ENTRIES = [
  { file: join(dist, 'cli.js'), name: 'cli', shebang: true },
  { file: join(dist, 'spend', 'spend-write-worker.js'), name: 'spend-write-worker', shebang: false },
];
/**
 * How the `sluice` binary starts node (`npm start`, the Dockerfile and bench/lib/targets.mjs say the same): a 2 MB
 * young generation keeps RSS ~20 MB lower under load at no throughput cost, and V8 reads it only at start-up;
 * MALLOC_ARENA_MAX=2 stops glibc giving every thread that allocates (the spend write thread, V8's helpers) an arena
 * of its own (−4 to −5 MB at 1,000 req/s). Cluster workers inherit both.
 */
const SHEBANG = '#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=2';

/** Rewrites `import.meta.url` in each of dist's modules to the URL that module had before bundling. */
const originalModuleUrl = {
  name: 'original-module-url',
  setup(builder) {
    builder.onLoad({ filter: /\.js$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      if (args.path.startsWith(dist + '/') && contents.includes('import.meta.url')) {
        const fromBundle = relative(outdir, args.path);
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`);
      }
      // The shebang postbuild.mjs added to cli.js would land mid-bundle; the stub carries it.
      if (contents.startsWith('#!')) contents = contents.slice(contents.indexOf('\n') + 1);
      return { contents, loader: 'js' };
    });
  },
};

const STUB_MARK = '// The bundled ';
for (const entry of ENTRIES) {
  if ((await readFile(entry.file, 'utf8')).includes(STUB_MARK)) {
    console.error(`bundle: ${relative(root, entry.file)} is already a stub; run the TypeScript build first (npm run build)`);
    process.exit(1);
  }
}
/** A UTF-16 code unit as `\uXXXX` (characters outside the BMP arrive as two surrogates, each escaped). */
function asciiEscape(character) {
  let escaped = '';
  for (let index = 0; index < character.length; index++) escaped += `\\u${character.charCodeAt(index).toString(16).padStart(4, '0')}`;
  return escaped;
}

await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: Object.fromEntries(ENTRIES.map((entry) => [entry.name, entry.file])),
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[name]-[hash]',
  external: EXTERNAL,
  plugins: [originalModuleUrl],
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  // Bundled CommonJS packages require Node's built-ins; ESM output has no `require` of its own.
  banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
});

// V8 keeps every module's source text in the heap, one byte per character unless one character is above U+00FF: the
// arrows and dashes in a few comments made chunk-main's 1.7 MB source a 3.4 MB two-byte string. esbuild already
// escapes non-ASCII in strings, templates and regular expressions, so what is left is in comments.
for (const file of Object.keys(result.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  const text = await readFile(file, 'utf8');
  if (/[^\x00-\x7f]/.test(text)) await writeFile(file, text.replace(/[^\x00-\x7f]/g, asciiEscape));
}

for (const entry of ENTRIES) {
  const target = relative(dirname(entry.file), join(outdir, `${entry.name}.js`));
  const stub = `${entry.shebang ? `${SHEBANG}\n` : ''}${STUB_MARK}${entry.name} (scripts/bundle.mjs).\nimport '${target.startsWith('.') ? target : `./${target}`}';\n`;
  await writeFile(entry.file, stub, { mode: entry.shebang ? 0o755 : 0o644 });
  await rm(`${entry.file}.map`, { force: true });
}

if (process.env.SLUICE_BUNDLE_REPORT === '1') {
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith('.map')) console.log(`${relative(root, file)}  ${(output.bytes / 1024).toFixed(0)} KB  ${Object.keys(output.inputs).length} modules`);
  }
}
