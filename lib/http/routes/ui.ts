/** The web page (ui/): `GET /` and its hashed files under `/assets/`. Public, like /health: the page holds no data, its API calls carry the credentials. */
import type { AssetSource } from '../assets.ts';
import { errors } from '../response.ts';
import { ERROR_CODES, HttpError } from '../errors.ts';
import type { HttpResponse } from '../router.ts';
import { route, type Route } from '../router.ts';
import * as z from 'zod';

const AssetParam = z.object({ file: z.string().min(1).max(200).describe('a file name from the built page') });

async function serve(assets: AssetSource, path: string): Promise<HttpResponse> {
  const asset = await assets.get(path);
  if (!asset) {
    const message = path === 'index.html' ? 'the web page is not built: run `npm run build:ui`' : 'no such file';
    throw new HttpError(404, ERROR_CODES.notFound, message);
  }
  return { status: 200, bytes: { value: asset.body, contentType: asset.contentType }, headers: asset.headers };
}

export function uiRoutes(assets: AssetSource): Route[] {
  return [
    route({
      method: 'GET', path: '/', operationId: 'webPage', tag: 'ui', public: true,
      summary: 'The web page: instances, history and time travel, the task list',
      responses: { 200: { description: 'the page', contentType: 'text/html' }, ...errors([404, 'the page was not built']) },
      handle: async () => serve(assets, 'index.html'),
    }),
    route({
      method: 'GET', path: '/assets/{file}', operationId: 'webPageAsset', tag: 'ui', public: true,
      summary: "The web page's scripts and styles (content-hashed names, cached for a year)", params: AssetParam,
      responses: { 200: { description: 'the file', contentType: 'application/octet-stream' }, ...errors([404, 'no such file']) },
      handle: async ({ params }) => serve(assets, `assets/${params.file}`),
    }),
  ];
}
