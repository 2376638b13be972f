// Serves the built admin UI (dist/ui) from memory: read once at start-up, hashed assets cached for a year,
// every other path under /ui answered with index.html so the single-page app's own routes survive a reload.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly cacheControl: string;
}

/** Where the build put the UI: dist/ui beside the compiled code, or the repository's dist/ui when run from src. */
export function defaultUiRoot(): string | null {
  for (const candidate of ['../../ui/', '../../../dist/ui/']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(join(path, 'index.html'))) return path;
  }
  return null;
}

function collect(root: string, dir: string, out: Map<string, Asset>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      collect(root, path, out);
      continue;
    }
    const urlPath = `/ui/${relative(root, path).split(sep).join('/')}`;
    const hashed = urlPath.startsWith('/ui/assets/');
    out.set(urlPath, {
      body: readFileSync(path),
      type: TYPES[extname(name)] ?? 'application/octet-stream',
      cacheControl: hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  }
}

export class StaticAssets {
  private readonly assets = new Map<string, Asset>();
  private readonly index: Asset | null;

  constructor(root: string | null) {
    if (root !== null) collect(root, root, this.assets);
    this.index = this.assets.get('/ui/index.html') ?? null;
  }

  get built(): boolean {
    return this.index !== null;
  }

  serve(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      res.end('Method not allowed');
      return;
    }
    if (path === '/ui') {
      res.writeHead(308, { location: '/ui/' });
      res.end();
      return;
    }
    let asset = this.assets.get(path);
    // A missing hashed asset is a real 404 (a stale page must not get HTML as JavaScript); anything else is an SPA route.
    if (asset === undefined && !path.startsWith('/ui/assets/')) asset = this.index ?? undefined;
    if (asset === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end(this.index === null ? 'The admin UI was not built (run npm run build).' : 'Not found');
      return;
    }
    res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length, 'cache-control': asset.cacheControl, ...SECURITY_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }
}
