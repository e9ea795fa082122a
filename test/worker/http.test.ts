/**
 * The `http` job type against a real local HTTP server (node:http): the request comes
 * from the job's variables, the response goes back as the `response` variable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../lib/worker/client.ts';
import { BpmnError, JobFailure } from '../../lib/worker/errors.ts';
import { createHttpWorker, httpConnector } from '../../lib/worker/http.ts';
import { silentLogger } from '../../lib/worker/logger.ts';
import type { JsonObject } from '../../lib/worker/types.ts';
import type { JobContext, JobWorker } from '../../lib/worker/worker.ts';
import { FakeJobs, job, sleep, startFakeApi, until, type FakeApi } from './fake-api.ts';

let servers: FakeApi[] = [];
let workers: JobWorker[] = [];

afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  workers = [];
});

/** The service the model calls. */
async function target(): Promise<FakeApi> {
  const server = await startFakeApi({
    'GET /customers/:id': (req) => ({ body: { id: req.params['id'], verified: true, auth: req.headers['authorization'] ?? null } }),
    'POST /echo': (req) => ({ status: 201, body: { method: req.method, contentType: req.headers['content-type'], received: req.body }, headers: { 'x-trace': 't-1' } }),
    'GET /text': () => ({ text: 'plain words' }),
    'GET /problem': () => ({ headers: { 'content-type': 'application/problem+json' }, body: { title: 'fine' } }),
    'GET /missing': () => ({ status: 404, body: { message: 'no such customer' } }),
    'GET /down': () => ({ status: 503, text: 'maintenance' }),
    'GET /slow': () => sleep(2_000).then(() => ({ body: {} })),
    'GET /big': () => ({ text: 'x'.repeat(5_000) }),
  });
  servers.push(server);
  return server;
}

const context = (): JobContext => ({ signal: new AbortController().signal, logger: silentLogger, worker: 'test' });
const call = (variables: JsonObject, headers: Record<string, string> = {}, options = {}) =>
  Promise.resolve(httpConnector(options)(job('i1.1', { type: 'http', variables, headers }), context()));

describe('http connector', () => {
  it('GETs a URL and completes with the status, headers and the JSON body parsed', async () => {
    const { url } = await target();

    const result = await call({ url: `${url}/customers/c1`, headers: { Authorization: 'Bearer k' } });

    expect(result).toEqual({
      response: {
        status: 200,
        headers: expect.objectContaining({ 'content-type': 'application/json' }),
        body: { id: 'c1', verified: true, auth: 'Bearer k' },
      },
    });
  });

  it('POSTs a body from the variables as JSON', async () => {
    const { url } = await target();

    const result = (await call({ url: `${url}/echo`, method: 'post', body: { name: 'Ada', lines: 2 } })) as { response: JsonObject };

    expect(result.response['status']).toBe(201);
    expect(result.response['headers']).toMatchObject({ 'x-trace': 't-1' });
    expect(result.response['body']).toEqual({ method: 'POST', contentType: 'application/json', received: { name: 'Ada', lines: 2 } });
  });

  it('keeps a text body as text, parses +json types, and names the result as the resultVariable header says', async () => {
    const { url } = await target();

    expect(await call({ url: `${url}/text` })).toMatchObject({ response: { status: 200, body: 'plain words' } });
    expect(await call({ url: `${url}/problem` }, { resultVariable: 'kyc' })).toMatchObject({ kyc: { body: { title: 'fine' } } });
  });

  it('fails on a non-2xx status (the worker retries it)', async () => {
    const { url } = await target();

    const error = await call({ url: `${url}/down` }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(BpmnError);
    expect(error).not.toBeInstanceOf(JobFailure);
    expect((error as Error).message).toBe(`GET ${url}/down answered 503 Service Unavailable: maintenance`);
  });

  it('throws the BPMN error of the errorCodeOn4xx header for a 4xx, and only for a 4xx', async () => {
    const { url } = await target();

    const notFound = await call({ url: `${url}/missing?apiKey=secret` }, { errorCodeOn4xx: 'CUSTOMER_UNKNOWN' }).catch((e: unknown) => e);
    const down = await call({ url: `${url}/down` }, { errorCodeOn4xx: 'CUSTOMER_UNKNOWN' }).catch((e: unknown) => e);

    expect(notFound).toBeInstanceOf(BpmnError);
    expect(notFound).toMatchObject({ code: 'CUSTOMER_UNKNOWN', message: `GET ${url}/missing answered 404 Not Found: {"message":"no such customer"}` });
    expect(down).not.toBeInstanceOf(BpmnError);
  });

  it('refuses file:, data: and other non-http URLs without retries', async () => {
    for (const url of ['file:///etc/passwd', 'data:text/plain,hi', 'ftp://example.com/x', 'javascript:alert(1)']) {
      const error = await call({ url }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(JobFailure);
      expect(error).toMatchObject({ retries: 0, message: expect.stringContaining('only http and https URLs are allowed') });
    }
  });

  it('refuses requests that cannot be right without retries: no url, a bad method, a GET with a body, a bad header', async () => {
    const { url } = await target();
    const cases: JsonObject[] = [
      {},
      { url: 'not a url' },
      { url, method: 'CONNECT' },
      { url, body: { a: 1 } },
      { url, headers: { 'bad header': 'x' } },
      { url, headers: { 'x-a': 'one\r\nInjected: yes' } },
      { url: `http://user:pw@127.0.0.1:1/` },
    ];

    for (const variables of cases) {
      await expect(call(variables)).rejects.toMatchObject({ name: 'JobFailure', retries: 0 });
    }
  });

  it('fails a call that takes longer than its timeout, or answers too much', async () => {
    const { url } = await target();

    await expect(call({ url: `${url}/slow` }, {}, { timeoutMs: 100 })).rejects.toThrow(`GET ${url}/slow: no response within 100 ms`);
    await expect(call({ url: `${url}/big` }, {}, { maxResponseBytes: 1_000 })).rejects.toThrow('the response is larger than 1000 bytes');
  });

  it('runs as the `http` job type in a worker: completes, fails with retries, throws BPMN errors', async () => {
    const { url } = await target();
    const jobs = new FakeJobs().add(
      job('ok.1', { type: 'http', variables: { url: `${url}/customers/c7` } }),
      job('down.1', { type: 'http', variables: { url: `${url}/down` } }),
      job('gone.1', { type: 'http', variables: { url: `${url}/missing` }, headers: { errorCodeOn4xx: 'NOT_FOUND' } }),
      job('file.1', { type: 'http', variables: { url: 'file:///etc/passwd' } }),
    );
    const api = await startFakeApi(jobs.routes());
    servers.push(api);
    workers.push(createHttpWorker({ client: new ApiClient({ url: api.url }), pollIntervalMs: 10, longPollMs: 0, logger: silentLogger }));

    await until(() => jobs.reported === 4);

    expect(jobs.completed).toEqual([{ jobId: 'ok.1', variables: { response: expect.objectContaining({ status: 200, body: { id: 'c7', verified: true, auth: null } }) } }]);
    expect(jobs.errors).toEqual([{ jobId: 'gone.1', body: { errorCode: 'NOT_FOUND', errorMessage: expect.stringContaining('answered 404') } }]);
    const failed = Object.fromEntries(jobs.failed.map((f) => [f.jobId, f.body]));
    expect(failed['down.1']).toEqual({ retries: 2, errorMessage: expect.stringContaining('answered 503'), retryBackoffMs: 1_000 });
    expect(failed['file.1']).toEqual({ retries: 0, errorMessage: 'http connector: only http and https URLs are allowed, not file:' });
  });
});
