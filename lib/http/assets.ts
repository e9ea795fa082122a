/**
 * The web page's files (ui/dist, built by `npm run build:ui`) read from a folder: the
 * API Lambda serves them at `GET /` and `GET /assets/{file}` (lib/http/routes/ui.ts),
 * the local runtime through its static handler (lib/local/static.ts).
 *
 *   assets.get('index.html')          -> the page (no-cache: it names the current bundles)
 *   assets.get('assets/index-3f2a.js') -> a hashed bundle (cached for a year)
 *   assets.get('../etc/passwd')        -> null (one plain file name under assets/, nothing else)
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

export interface Asset {
  body: Buffer;
  contentType: string;
  /** cache-control, and for the page its content security policy. */
  headers: Record<string, string>;
}

export interface AssetSource {
  /** `index.html` or `assets/<file>`; null when there is no such file. */
  get(path: string): Promise<Asset | null>;
  /** The folder read (for messages). */
  readonly dir: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.eot': 'application/vnd.ms-fontobject',
};

/** bpmn-js sets style attributes and uses data: URIs; everything else comes from this origin. */
export const PAGE_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const ASSET = /^assets\/[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}$/;

export function assetDir(dir: string): AssetSource {
  const cache = new Map<string, Asset>();
  return {
    dir,
    async get(path) {
      if (path !== 'index.html' && !ASSET.test(path)) return null;
      const type = TYPES[extname(path)];
      if (!type) return null;
      const cached = cache.get(path);
      if (cached) return cached;
      let body: Buffer;
      try {
        body = await readFile(join(dir, path));
      } catch {
        return null;
      }
      // index.html changes with each build (it names the bundles); the hashed files never do.
      const page = path === 'index.html';
      const headers: Record<string, string> = page
        ? { 'cache-control': 'no-cache', 'content-security-policy': PAGE_CSP, 'x-content-type-options': 'nosniff' }
        : { 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' };
      const asset = { body, contentType: type, headers };
      if (!page) cache.set(path, asset);
      return asset;
    },
  };
}
