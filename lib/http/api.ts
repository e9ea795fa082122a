/**
 * The HTTP API as one function: an API Gateway HTTP API (payload 2.0) event in, a
 * structured result out. Routing, access, parsing and error mapping live here once;
 * each route only calls its use case (lib/app/service).
 *
 *   event ─► match route (404 / 405) ─► access (401) ─► size, type, JSON, zod (413/415/400)
 *         ─► route.handle ─► JSON answer        any error ─► errors.ts (4xx as told, 5xx hidden)
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ServiceDeps } from '../app/service/deps.ts';
import type { AssetSource } from './assets.ts';
import { checkAccess, type AccessConfig } from './auth.ts';
import { ERROR_CODES, HttpError, toResponse } from './errors.ts';
import { lowerCaseHeaders, parseBody, parseParams, parseQuery } from './request.ts';
import type { HttpResponse, Route } from './router.ts';
import { Router } from './router.ts';
import { deadLetterRoutes } from './routes/dead-letters.ts';
import { decisionRoutes } from './routes/decisions.ts';
import { definitionRoutes } from './routes/definitions.ts';
import { instanceRoutes } from './routes/instances.ts';
import { jobRoutes } from './routes/jobs.ts';
import { messageRoutes } from './routes/messages.ts';
import { metaRoutes } from './routes/meta.ts';
import { taskRoutes } from './routes/tasks.ts';
import { uiRoutes } from './routes/ui.ts';

export interface ApiConfig extends AccessConfig {
  /** The API's version in the OpenAPI document. */
  version?: string;
  /** The web page's built files (ui/dist): served at `GET /` and `/assets/*` when given. */
  ui?: AssetSource;
}

export interface InvokeOptions {
  /** Time left before the Lambda times out: command waits end before it. */
  remainingMs?: number;
}

export type ApiHandler = (event: APIGatewayProxyEventV2, options?: InvokeOptions) => Promise<APIGatewayProxyStructuredResultV2>;

export function apiRoutes(deps: ServiceDeps, version = '1.0.0', ui?: AssetSource): Route[] {
  const v1 = [...definitionRoutes(deps), ...decisionRoutes(deps), ...instanceRoutes(deps), ...jobRoutes(deps), ...taskRoutes(deps), ...messageRoutes(deps), ...deadLetterRoutes(deps)];
  const all: Route[] = [...metaRoutes(() => all, version), ...(ui ? uiRoutes(ui) : []), ...v1];
  return all;
}

function toResult(response: HttpResponse, requestId: string): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { 'x-request-id': requestId, 'cache-control': 'no-store', ...(response.headers ?? {}) };
  if (response.bytes) {
    return { statusCode: response.status, headers: { ...headers, 'content-type': response.bytes.contentType }, body: Buffer.from(response.bytes.value).toString('base64'), isBase64Encoded: true };
  }
  if (response.text) return { statusCode: response.status, headers: { ...headers, 'content-type': response.text.contentType }, body: response.text.value };
  if (response.body === undefined) return { statusCode: response.status, headers };
  return { statusCode: response.status, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(response.body) };
}

export function createApi(deps: ServiceDeps, config: ApiConfig = {}): ApiHandler {
  const router = new Router(apiRoutes(deps, config.version, config.ui));
  return async (event, options = {}) => {
    const requestId = event.requestContext?.requestId ?? randomUUID();
    try {
      const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
      const match = router.match(method, event.rawPath ?? event.requestContext?.http?.path ?? '/');
      if (match.kind === 'not-found') throw new HttpError(404, ERROR_CODES.notFound, 'no such route');
      if (match.kind === 'method-not-allowed') {
        throw new HttpError(405, ERROR_CODES.methodNotAllowed, `use ${match.allow.join(' or ')}`, [], { allow: match.allow.join(', ') });
      }
      const { route } = match;
      const headers = lowerCaseHeaders(event);
      if (!route.public) checkAccess(event, headers, config);
      const request = {
        params: parseParams(route, match.params), query: parseQuery(route, event), body: parseBody(route, event, headers),
        headers, requestId, remainingMs: options.remainingMs ?? null,
      };
      return toResult(await route.handle(request), requestId);
    } catch (error) {
      return toResult(toResponse(error, deps.logger, requestId), requestId);
    }
  };
}
