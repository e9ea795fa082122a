/**
 * The page's routes in the API Lambda (GET / and /assets/{file}): what API Gateway gets
 * back on AWS. Public (no token needed, like /health), bytes base64-encoded, only files
 * of the built page, and a clear 404 when the page was not built.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServiceDeps } from '../../lib/app/service/deps.ts';
import { createApi } from '../../lib/http/api.ts';
import { assetDir } from '../../lib/http/assets.ts';
import { apiEvent } from '../http/harness.ts';

// The page's routes never reach the engine: no store behind them.
const deps = { logger: { debug() {}, info() {}, warn() {}, error() {} } } as unknown as ServiceDeps;

function built(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sbpmn-ui-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>page</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'no');
  return dir;
}

describe('the web page routes', () => {
  const api = createApi(deps, { apiToken: 'sekret', ui: assetDir(built()) });

  it('serves the page at / without credentials, with a content security policy', async () => {
    const res = await api(apiEvent('GET', '/'));
    expect(res.statusCode).toBe(200);
    expect(res.isBase64Encoded).toBe(true);
    expect(Buffer.from(res.body ?? '', 'base64').toString()).toContain('<title>page</title>');
    expect(res.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-security-policy': expect.stringContaining("default-src 'self'") });
  });

  it('serves hashed assets for a year', async () => {
    const res = await api(apiEvent('GET', '/assets/index-abc123.js'));
    expect(res.statusCode).toBe(200);
    expect(Buffer.from(res.body ?? '', 'base64').toString()).toBe('console.log(1)');
    expect(res.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
  });

  it('serves nothing else: other files, traversal, unknown types', async () => {
    for (const path of ['/assets/missing.js', '/assets/..%2Fsecret.txt', '/assets/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd', '/secret.txt', '/assets/x.exe']) {
      const res = await api(apiEvent('GET', path));
      expect(res.statusCode, path).toBe(404);
    }
  });

  it('keeps /v1 behind the token', async () => {
    expect((await api(apiEvent('GET', '/v1/definitions'))).statusCode).toBe(401);
  });

  it('says how to build the page when it is missing, and is absent when not configured', async () => {
    const unbuilt = createApi(deps, { ui: assetDir(join(tmpdir(), 'sbpmn-no-such-dir')) });
    const res = await unbuilt(apiEvent('GET', '/'));
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body ?? '{}').error.message).toMatch(/npm run build:ui/);
    expect((await createApi(deps)(apiEvent('GET', '/'))).statusCode).toBe(404);
  });
});
