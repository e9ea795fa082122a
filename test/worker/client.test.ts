import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../lib/worker/client.ts';
import { ApiError, ApiUnreachableError, ClientError } from '../../lib/worker/errors.ts';
import { errorBody, freePort, sleep, startFakeApi, type FakeApi, type Routes } from './fake-api.ts';

let apis: FakeApi[] = [];

afterEach(async () => {
  await Promise.all(apis.map((a) => a.close()));
  apis = [];
});

async function serve(routes: Routes): Promise<FakeApi> {
  const api = await startFakeApi(routes);
  apis.push(api);
  return api;
}

describe('ApiClient', () => {
  it('sends JSON with the bearer token, under the base path, one encoded segment per id', async () => {
    const api = await serve({ 'POST /prod/v1/jobs/:jobId/complete': () => ({ body: { version: 7 } }) });
    const client = new ApiClient({ url: `${api.url}/prod/`, token: 's3cret' });

    const result = await client.completeJob('order 1/x.3', { approved: true }, { idempotencyKey: 'k-1' });

    expect(result).toEqual({ status: 'applied', version: 7, body: { version: 7 } });
    const [request] = api.requests;
    expect(request?.path).toBe('/prod/v1/jobs/order%201%2Fx.3/complete');
    expect(request?.params['jobId']).toBe('order 1/x.3');
    expect(request?.headers['authorization']).toBe('Bearer s3cret');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['idempotency-key']).toBe('k-1');
    expect(request?.body).toEqual({ variables: { approved: true } });
  });

  it('tells applied (200) from accepted (202) and passes ?wait', async () => {
    const api = await serve({
      'POST /v1/instances/:id/cancel': () => ({ status: 202, body: { status: 'accepted', commandId: 'c-1' } }),
      'POST /v1/instances': () => ({ status: 201, body: { instanceId: 'i-1', version: 1 } }),
    });
    const client = new ApiClient({ url: api.url });

    expect(await client.cancel('i-1', { waitMs: 250 })).toEqual({ status: 'accepted', commandId: 'c-1', body: { status: 'accepted', commandId: 'c-1' } });
    expect(await client.startInstance({ definitionKey: 'order' })).toMatchObject({ status: 'applied', instanceId: 'i-1', version: 1 });
    expect(api.requests[0]?.query.get('wait')).toBe('250');
    expect(api.requests[1]?.query.has('wait')).toBe(false);
  });

  it('deploys XML as application/xml and leaves empty query parameters out', async () => {
    const api = await serve({
      'POST /v1/definitions': () => ({ status: 201, body: { deployed: [{ key: 'order', version: 2 }] } }),
      'GET /v1/instances': () => ({ body: { items: [], cursor: null } }),
    });
    const client = new ApiClient({ url: api.url });

    expect(await client.deploy('<definitions/>')).toEqual({ deployed: [{ key: 'order', version: 2 }] });
    await client.listInstances({ definitionKey: 'order', status: 'active', cursor: '' });

    expect(api.requests[0]?.headers['content-type']).toBe('application/xml');
    expect(api.requests[0]?.text).toBe('<definitions/>');
    expect(Object.fromEntries(api.requests[1]?.query ?? [])).toEqual({ definitionKey: 'order', status: 'active' });
  });

  it('throws ApiError with the status, code, message and details of an error body', async () => {
    const details = [{ elementId: 'Gateway_1', message: 'needs an outgoing flow', line: 12 }];
    const api = await serve({ 'POST /v1/definitions': () => ({ status: 400, body: errorBody('invalid-model', 'the model is invalid', details) }) });

    const error = await new ApiClient({ url: api.url }).deploy('<x/>').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid-model', message: 'the model is invalid', details });
  });

  it('makes an ApiError of an error that is not the documented JSON', async () => {
    const api = await serve({ 'GET /v1/definitions': () => ({ status: 502, text: '<html>Bad Gateway</html>' }) });

    const error = await new ApiClient({ url: api.url }).listDefinitions().catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ApiError', status: 502, code: 'http-502', message: 'HTTP 502 Bad Gateway: <html>Bad Gateway</html>' });
  });

  it('throws ApiUnreachableError when nothing listens, or nothing answers in time', async () => {
    const port = await freePort();
    const refused = await new ApiClient({ url: `http://127.0.0.1:${port}` }).listDefinitions().catch((e: unknown) => e);
    const api = await serve({ 'GET /v1/definitions': () => sleep(2_000).then(() => ({ body: { items: [] } })) });
    const slow = await new ApiClient({ url: api.url, timeoutMs: 100 }).listDefinitions().catch((e: unknown) => e);

    expect(refused).toBeInstanceOf(ApiUnreachableError);
    expect(refused).toMatchObject({ url: `http://127.0.0.1:${port}`, reason: 'ECONNREFUSED' });
    expect(slow).toMatchObject({ name: 'ApiUnreachableError', reason: 'no answer within 100 ms' });
  });

  it('passes the caller\'s abort through unchanged', async () => {
    const api = await serve({ 'POST /v1/jobs/activate': () => sleep(2_000).then(() => ({ body: { items: [] } })) });
    const controller = new AbortController();
    const pending = new ApiClient({ url: api.url }).activateJobs({ type: 't', maxJobs: 1, timeoutMs: 1_000, worker: 'w' }, { signal: controller.signal });
    controller.abort(new Error('stopping'));

    await expect(pending).rejects.toThrow('stopping');
  });

  it('refuses a base URL that is not http or https', () => {
    expect(() => new ApiClient({ url: 'file:///etc' })).toThrow(ClientError);
    expect(() => new ApiClient({ url: 'localhost:3000' })).toThrow("'localhost:3000' is not an http or https URL");
    expect(() => new ApiClient({ url: 'not a url' })).toThrow('is not a URL');
  });
});
