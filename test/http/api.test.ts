/** Routing, access, error answers and the OpenAPI document. */
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, createApi, type ApiHandler } from '../../lib/http/api.ts';
import { Router } from '../../lib/http/router.ts';
import { quietLogger, testRuntime, type TestRuntime } from '../integration/runtime.ts';
import { apiEvent, type EventOptions } from './harness.ts';

let rt: TestRuntime;
beforeAll(async () => { rt = await testRuntime(); });

async function call(api: ApiHandler, method: string, path: string, options: EventOptions = {}) {
  const result = await api(apiEvent(method, path, options));
  return { status: result.statusCode, headers: result.headers ?? {}, text: result.body ?? '', body: result.body ? JSON.parse(result.body) : undefined };
}

describe('routing', () => {
  it('answers 404 for unknown routes and 405 (with Allow) for wrong methods', async () => {
    const api = createApi(rt.service);
    const missing = await call(api, 'GET', '/v2/definitions');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'not-found', message: 'no such route', details: [] } });
    expect((await call(api, 'GET', '/v1/jobs/x.1/complete/now')).status).toBe(404);
    const wrong = await call(api, 'DELETE', '/v1/definitions');
    expect(wrong.status).toBe(405);
    expect(wrong.body.error.code).toBe('method-not-allowed');
    expect(wrong.headers['allow']).toBe('POST, GET');
    expect((await call(api, 'GET', '/v1/jobs/activate')).status).toBe(405);
    expect((await call(api, 'GET', '/v1/definitions/')).status).toBe(200);
    expect((await call(api, 'GET', '/health')).body).toEqual({ status: 'ok' });
  });
});

describe('access', () => {
  it('with API_TOKEN, every /v1 route needs the bearer token; health and the OpenAPI document do not', async () => {
    const api = createApi(rt.service, { apiToken: 's3cret-token' });
    for (const [method, path] of [['GET', '/v1/definitions'], ['GET', '/v1/instances/x'], ['POST', '/v1/jobs/x.1/complete'], ['GET', '/v1/tasks']]) {
      for (const authorization of [undefined, 'Bearer wrong', 'Basic czNjcmV0LXRva2Vu', 'Bearer s3cret-token-and-more']) {
        const answer = await call(api, method as string, path as string, authorization ? { headers: { authorization } } : {});
        expect(answer.status, `${method} ${path} ${authorization}`).toBe(401);
        expect(answer.body).toEqual({ error: { code: 'unauthorized', message: 'missing or invalid credentials', details: [] } });
      }
    }
    expect((await call(api, 'GET', '/v1/definitions', { headers: { Authorization: 'Bearer s3cret-token' } })).status).toBe(200);
    expect((await call(api, 'GET', '/health')).status).toBe(200);
    expect((await call(api, 'GET', '/openapi.json')).status).toBe(200);
  });

  it('with REQUIRE_JWT, /v1 needs claims from the JWT authorizer', async () => {
    const api = createApi(rt.service, { requireJwt: true });
    expect((await call(api, 'GET', '/v1/definitions')).status).toBe(401);
    expect((await call(api, 'GET', '/v1/definitions', { claims: { sub: 'user-1', iss: 'https://issuer.example' } })).status).toBe(200);
    expect((await call(api, 'GET', '/health')).status).toBe(200);
  });
});

describe('errors', () => {
  it('hides the internals of a 500 (they go to the log) and says 503 for throttling', async () => {
    const deps = rt.service;
    const broken = createApi({ ...deps, definitions: { ...deps.definitions, keys: async () => { throw new Error('table t-secret is on fire'); } } });
    const answer = await call(broken, 'GET', '/v1/definitions');
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ error: { code: 'internal', message: 'internal error', details: [] } });
    expect(answer.text).not.toContain('secret');
    expect(quietLogger.lines).toContainEqual(expect.objectContaining({ level: 'error', message: 'request failed', data: expect.objectContaining({ requestId: answer.headers['x-request-id'] }) }));

    const throttled = createApi({ ...deps, definitions: { ...deps.definitions, keys: async () => { throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' }); } } });
    const busy = await call(throttled, 'GET', '/v1/definitions');
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
  });
});

/** The API's surface, as clients depend on it. */
const SURFACE = [
  'GET /health', 'GET /openapi.json',
  'POST /v1/definitions', 'GET /v1/definitions', 'GET /v1/definitions/{key}', 'GET /v1/definitions/{key}/versions/{version}/xml',
  'GET /v1/decisions', 'GET /v1/decisions/{id}',
  'POST /v1/instances', 'GET /v1/instances', 'GET /v1/instances/{id}', 'GET /v1/instances/{id}/history', 'GET /v1/instances/{id}/versions/{version}',
  'POST /v1/instances/{id}/rollback', 'POST /v1/instances/{id}/cancel', 'POST /v1/instances/{id}/incidents/{incidentId}/resolve', 'POST /v1/instances/{id}/variables',
  'GET /v1/jobs', 'POST /v1/jobs/activate', 'POST /v1/jobs/{jobId}/complete', 'POST /v1/jobs/{jobId}/fail', 'POST /v1/jobs/{jobId}/throw-error',
  'GET /v1/tasks', 'GET /v1/tasks/{taskId}', 'POST /v1/tasks/{taskId}/complete',
  'POST /v1/messages', 'POST /v1/signals', 'POST /v1/conditions',
  'GET /v1/dead-letters', 'GET /v1/dead-letters/{commandId}', 'POST /v1/dead-letters/{commandId}/redrive',
];

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document that describes every route, its parameters and schemas', async () => {
    const api = createApi(rt.service);
    const answer = await call(api, 'GET', '/openapi.json');
    expect(answer.status).toBe(200);
    const doc = JSON.parse(answer.text);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'serverless-bpmn', version: expect.any(String) });

    const routes = new Router(apiRoutes(rt.service)).routes;
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(SURFACE.sort());
    expect(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`)).sort()).toEqual(SURFACE.sort());
    const operationIds = new Set<string>();
    for (const route of routes) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(operationIds.has(op.operationId)).toBe(false);
      operationIds.add(op.operationId);
      for (const name of route.path.match(/\{(\w+)\}/g) ?? []) {
        expect(op.parameters, `${route.path} documents ${name}`).toContainEqual(expect.objectContaining({ name: name.slice(1, -1), in: 'path', required: true }));
      }
      expect(Object.keys(op.responses).length).toBeGreaterThanOrEqual(2);
      if (route.method === 'POST') expect(op.requestBody ?? /\/(cancel|redrive)$/.test(route.path), `${route.path} body`).toBeTruthy();
    }
    expect(doc.paths['/v1/definitions'].post.requestBody.content['application/xml']).toBeDefined();
    expect(doc.paths['/v1/signals'].post.description).toMatch(/signal start event/);
    expect(doc.paths['/health'].get.security).toEqual([]);

    // Every reference points at a component that exists.
    const refs = [...answer.text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] as string);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(doc.components.schemas[ref.replace('#/components/schemas/', '')], ref).toBeDefined();
    expect(doc.components.schemas.Instance.required).toEqual(expect.arrayContaining(['instanceId', 'status', 'variables', 'activeElements', 'incidents', 'jobs', 'tasks']));
    expect(doc.components.schemas.FailJobRequest).toMatchObject({ additionalProperties: false, required: ['retries'] });
  });
});
