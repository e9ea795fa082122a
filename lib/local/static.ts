/**
 * The web page on the local runtime: `GET /` and `/assets/*` from ui/dist (the same
 * files and headers the API Lambda serves on AWS, lib/http/assets.ts); everything else
 * falls through to the API. `ensureUiBuilt` builds the page with Vite when ui/dist is
 * missing or older than its sources, so `npm start` works from a fresh checkout.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assetDir, type AssetSource } from '../http/assets.ts';
import type { StaticHandler } from './http.ts';

const UI = resolve(fileURLToPath(new URL('../../ui', import.meta.url)));
export const UI_DIST = join(UI, 'dist');

export function uiStatics(assets: AssetSource = assetDir(UI_DIST)): StaticHandler {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = path === '/' || path === '/index.html' ? 'index.html' : path.startsWith('/assets/') ? path.slice(1) : null;
    if (file === null) return false;
    const asset = await assets.get(file);
    if (!asset) {
      const message = file === 'index.html' ? 'The web page is not built: run `npm run build:ui`.' : 'No such file.';
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
      return true;
    }
    res.writeHead(200, { 'content-type': asset.contentType, 'content-length': asset.body.length, ...asset.headers });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** True when ui/dist is missing or older than a file of ui/. */
export function uiIsStale(): boolean {
  const page = join(UI_DIST, 'index.html');
  return !existsSync(page) || statSync(page).mtimeMs < newest(UI);
}

/** Builds ui/ into ui/dist when stale (`npm run build:ui` does the same). Vite is a devDependency. */
export async function ensureUiBuilt(log: (line: string) => void = () => undefined): Promise<'fresh' | 'built'> {
  if (!uiIsStale()) return 'fresh';
  log('building the web page (ui/ -> ui/dist)...');
  const { build } = await import('vite');
  await build({ configFile: join(UI, 'vite.config.ts'), logLevel: 'warn' });
  return 'built';
}
