/** Routes about the API itself: health and the OpenAPI document. Public (no credentials). */
import { openApiDocument } from '../openapi.ts';
import { ok } from '../response.ts';
import { route, type Route } from '../router.ts';
import { Health } from '../schemas.ts';

export function metaRoutes(apiRoutes: () => Route[], version: string): Route[] {
  let document: unknown;
  return [
    route({
      method: 'GET', path: '/health', operationId: 'health', tag: 'meta', public: true,
      summary: 'Liveness: the handler runs (no dependencies are called)',
      responses: { 200: { description: 'alive', schema: Health } },
      handle: async () => ok({ status: 'ok' }),
    }),
    route({
      method: 'GET', path: '/openapi.json', operationId: 'openapi', tag: 'meta', public: true,
      summary: 'This OpenAPI 3.1 document',
      responses: { 200: { description: 'the document', contentType: 'application/json' } },
      handle: async () => ok((document ??= openApiDocument(apiRoutes(), { version }))),
    }),
  ];
}
