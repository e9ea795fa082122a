/** /v1/jobs: leases, failures and retries, incidents and their resolution, BPMN errors, idempotency. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow, flows, job } from '../../lib/testing/index.ts';
import { startApi, until, type TestApi } from './harness.ts';

const model = bpmn(`
  <startEvent id="s"/>
  <serviceTask id="work">${job('work', 2)}</serviceTask>
  <boundaryEvent id="caught" attachedToRef="work"><errorEventDefinition errorRef="Err"/></boundaryEvent>
  <endEvent id="ok"/><endEvent id="failed"/>
  ${flows('s', 'work', 'ok')}${flow('caught', 'failed')}`, { id: 'jobs', rootElements: '<error id="Err" errorCode="NO_STOCK"/>' });

let t: TestApi;
beforeAll(async () => {
  t = await startApi();
  expect((await t.call('POST', '/v1/definitions', { body: model, headers: { 'content-type': 'application/xml' } })).status).toBe(201);
});
afterAll(async () => { await t.stop(); });

async function start(): Promise<{ id: string; jobId: string }> {
  const started = await t.call('POST', '/v1/instances', { body: { definitionKey: 'jobs' } });
  expect(started.status).toBe(201);
  const id = started.body.instanceId as string;
  const jobs = await t.call('GET', '/v1/jobs', { query: { instanceId: id } });
  return { id, jobId: jobs.body.items[0].jobId };
}

const activate = (worker: string, timeoutMs = 60_000) => t.call('POST', '/v1/jobs/activate', { body: { type: 'work', maxJobs: 50, timeoutMs, worker } });
const ids = (answer: { body: { items: Array<{ jobId: string }> } }) => answer.body.items.map((j) => j.jobId);

describe('job leases', () => {
  it('leases a job to one worker until the lease passes, then offers it again', async () => {
    const { jobId } = await start();
    expect(ids(await activate('w1', 1000))).toContain(jobId);
    expect(ids(await activate('w2'))).not.toContain(jobId);
    await new Promise((r) => setTimeout(r, 1100));
    expect(ids(await activate('w3'))).toContain(jobId);
  });

  it('hands out at most maxJobs', async () => {
    await start();
    await start();
    const one = await t.call('POST', '/v1/jobs/activate', { body: { type: 'work', maxJobs: 1, timeoutMs: 60_000, worker: 'w' } });
    expect(one.body.items).toHaveLength(1);
  });
});

describe('failing jobs', () => {
  it('retries a failed job (after its backoff), raises an incident when retries run out, and resolves it', async () => {
    const { id, jobId } = await start();
    const failed = await t.call('POST', `/v1/jobs/${jobId}/fail`, { body: { retries: 1, errorMessage: 'KYC timeout', retryBackoffMs: 60_000 } });
    expect(failed.status).toBe(200);
    expect((await t.call('GET', '/v1/jobs', { query: { instanceId: id } })).body.items).toEqual([expect.objectContaining({ jobId, retries: 1 })]);
    expect(ids(await activate('w'))).not.toContain(jobId); // waiting out its backoff

    expect((await t.call('POST', `/v1/jobs/${jobId}/fail`, { body: { retries: 0, errorMessage: 'KYC down' } })).status).toBe(200);
    const stuck = await t.call('GET', `/v1/instances/${id}`);
    expect(stuck.body.status).toBe('incident');
    expect(stuck.body.incidents).toEqual([{ incidentId: expect.stringMatching(new RegExp(`^${id}\\.\\d+$`)), elementId: 'work', kind: 'job', message: expect.stringContaining('KYC down'), jobId, at: expect.any(String) }]);
    expect((await t.call('GET', '/v1/jobs', { query: { instanceId: id } })).body.items).toEqual([]);
    const refused = await t.call('POST', `/v1/jobs/${jobId}/complete`, { body: {} });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('wrong-state');
    const listed = await t.call('GET', '/v1/instances', { query: { definitionKey: 'jobs', status: 'incident' } });
    expect(listed.body.items.map((i: { instanceId: string }) => i.instanceId)).toContain(id);

    const incidentId = stuck.body.incidents[0].incidentId as string;
    const resolved = await t.call('POST', `/v1/instances/${id}/incidents/${incidentId}/resolve`, { body: { retries: 2 } });
    expect(resolved.status).toBe(200);
    expect((await t.call('POST', `/v1/instances/${id}/incidents/${incidentId}/resolve`, { body: {} })).status).toBe(409);
    const again = await t.call('GET', `/v1/instances/${id}`);
    expect(again.body).toMatchObject({ status: 'active', incidents: [], jobs: [expect.objectContaining({ jobId, retries: 2 })] });
    expect(ids(await activate('w'))).toContain(jobId);
    expect((await t.call('POST', `/v1/jobs/${jobId}/complete`, { body: {} })).status).toBe(200);
    expect((await t.call('GET', `/v1/instances/${id}`)).body.status).toBe('completed');
  });

  it('throws a BPMN error: caught by the boundary event', async () => {
    const { id, jobId } = await start();
    const thrown = await t.call('POST', `/v1/jobs/${jobId}/throw-error`, { body: { errorCode: 'NO_STOCK', errorMessage: 'none left' } });
    expect(thrown.status).toBe(200);
    const history = await t.call('GET', `/v1/instances/${id}/history`);
    expect(history.body.versions.at(-1).events).toContainEqual(expect.objectContaining({ type: 'ErrorThrown', errorCode: 'NO_STOCK', caughtBy: 'caught' }));
    expect((await t.call('GET', `/v1/instances/${id}`)).body.status).toBe('completed');
  });

  it('throws a BPMN error nobody catches: an incident', async () => {
    const { id, jobId } = await start();
    expect((await t.call('POST', `/v1/jobs/${jobId}/throw-error`, { body: { errorCode: 'OTHER' } })).status).toBe(200);
    const stuck = await t.call('GET', `/v1/instances/${id}`);
    expect(stuck.body.status).toBe('incident');
  });
});

describe('job commands: ids, input, idempotency, waiting', () => {
  it('answers 404 for unknown instances and ids that name none, 409 for jobs that are not open', async () => {
    expect((await t.call('POST', '/v1/jobs/not-a-job-id/complete', { body: {} })).status).toBe(404);
    const unknown = await t.call('POST', '/v1/jobs/nobody.3/complete', { body: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not-found');
    const { id } = await start();
    const gone = await t.call('POST', `/v1/jobs/${id}.99/complete`, { body: {} });
    expect(gone.status).toBe(409);
    expect(gone.body.error.code).toBe('not-open');
  });

  it('refuses invalid bodies with zod details, and lists need a filter', async () => {
    const { jobId } = await start();
    const bad = await t.call('POST', `/v1/jobs/${jobId}/fail`, { body: { retries: -1, errorMessage: 7, extra: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid-input');
    expect(bad.body.error.details).toEqual(expect.arrayContaining([
      { in: 'body', path: 'retries', message: expect.any(String) },
      { in: 'body', path: 'errorMessage', message: expect.any(String) },
      { in: 'body', path: '', message: expect.stringContaining('extra') },
    ]));
    const notJson = await t.call('POST', `/v1/jobs/${jobId}/complete`, { body: '{"variables":', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid-json');
    expect((await t.call('POST', `/v1/jobs/${jobId}/complete`, { body: 'variables=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await t.call('POST', `/v1/jobs/${jobId}/complete`, { body: { variables: [1, 2] } })).body.error.details[0]).toMatchObject({ path: 'variables' });
    expect((await t.call('POST', `/v1/jobs/${jobId}/complete`, { body: { variables: { big: 'x'.repeat(1024 * 1024) } } })).status).toBe(413);
    expect((await t.call('POST', '/v1/jobs/activate', { body: { type: 'work', maxJobs: 0, timeoutMs: 10, worker: '' } })).body.error.details).toHaveLength(3);
    expect((await t.call('GET', '/v1/jobs')).status).toBe(400);
  });

  it('with wait=0 answers 202 at once; the command is applied anyway', async () => {
    const { id, jobId } = await start();
    const queued = await t.call('POST', `/v1/jobs/${jobId}/complete`, { body: {}, query: { wait: '0' } });
    expect(queued.status).toBe(202);
    expect(queued.body).toEqual({ status: 'accepted', commandId: expect.any(String), instanceId: id });
    await until(async () => (await t.call('GET', `/v1/instances/${id}`)).body.status === 'completed');
  });

  it('an Idempotency-Key makes a retried request apply once and answer the same', async () => {
    const { id, jobId } = await start();
    const headers = { 'idempotency-key': `complete-${jobId}` };
    const first = await t.call('POST', `/v1/jobs/${jobId}/complete`, { body: {}, headers });
    const retry = await t.call('POST', `/v1/jobs/${jobId}/complete`, { body: {}, headers });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(first.body.commandId).toBe(`complete-${jobId}`);
    expect((await t.call('GET', `/v1/instances/${id}/history`)).body.versions).toHaveLength(2);
    expect((await t.call('POST', `/v1/jobs/${jobId}/complete`, { body: {}, headers: { 'idempotency-key': 'spaces are not allowed' } })).status).toBe(400);
  });
});
