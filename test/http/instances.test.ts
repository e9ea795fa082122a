/** /v1/instances: start, read, list, time travel, rollback, cancel, variables. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flows, job, message } from '../../lib/testing/index.ts';
import { startApi, type TestApi } from './harness.ts';

const twoSteps = bpmn(`<startEvent id="s"/><serviceTask id="a">${job('step-a')}</serviceTask><serviceTask id="b">${job('step-b')}</serviceTask><endEvent id="e"/>${flows('s', 'a', 'b', 'e')}`, { id: 'two' });
const byMessageOnly = bpmn(`<startEvent id="s"><messageEventDefinition messageRef="M"/></startEvent><endEvent id="e"/>${flows('s', 'e')}`, { id: 'msg-only', rootElements: message('M', 'kick') });

let t: TestApi;
beforeAll(async () => {
  t = await startApi();
  for (const model of [twoSteps, byMessageOnly]) expect((await t.call('POST', '/v1/definitions', { body: model, headers: { 'content-type': 'application/xml' } })).status).toBe(201);
});
afterAll(async () => { await t.stop(); });

async function start(variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<string> {
  const started = await t.call('POST', '/v1/instances', { body: { definitionKey: 'two', variables }, headers });
  expect(started.status).toBe(201);
  return started.body.instanceId as string;
}

const openJob = async (id: string): Promise<string> => (await t.call('GET', `/v1/instances/${id}`)).body.jobs[0].jobId;

describe('starting instances', () => {
  it('starts the latest or a given version; unknown definitions are 404, bad input 400 with details', async () => {
    const id = await start({ n: 1 });
    expect((await t.call('GET', `/v1/instances/${id}`)).body).toMatchObject({ instanceId: id, definitionKey: 'two', definitionVersion: 1, status: 'active', variables: { n: 1 }, businessKey: null });
    expect((await t.call('POST', '/v1/instances', { body: { definitionKey: 'two', version: 1 } })).status).toBe(201);

    const unknown = await t.call('POST', '/v1/instances', { body: { definitionKey: 'nope' } });
    expect(unknown.status).toBe(404);
    expect((await t.call('POST', '/v1/instances', { body: { definitionKey: 'two', version: 9 } })).status).toBe(404);

    const invalid = await t.call('POST', '/v1/instances', { body: { definitionKey: '', variables: 'x', version: 1.5 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['definitionKey', 'variables', 'version']);
    expect((await t.call('POST', '/v1/instances')).status).toBe(400);

    const noneStart = await t.call('POST', '/v1/instances', { body: { definitionKey: 'msg-only' } });
    expect(noneStart.status).toBe(409);
    expect(noneStart.body.error.code).toBe('no-none-start');
  });

  it('an Idempotency-Key starts one instance however often it is sent', async () => {
    const headers = { 'idempotency-key': 'order-4711' };
    const first = await t.call('POST', '/v1/instances', { body: { definitionKey: 'two' }, headers });
    const again = await t.call('POST', '/v1/instances', { body: { definitionKey: 'two' }, headers });
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await t.call('GET', `/v1/instances/${first.body.instanceId}/history`)).body.versions).toHaveLength(1);
  });
});

describe('reading instances', () => {
  it('answers 404 for unknown instances and versions', async () => {
    for (const path of ['/v1/instances/nope', '/v1/instances/nope/history', '/v1/instances/nope/versions/1']) {
      const answer = await t.call('GET', path);
      expect(answer.status, path).toBe(404);
      expect(answer.body.error.code).toBe('not-found');
    }
    expect((await t.call('GET', '/v1/instances/bad%20id')).status).toBe(400);
  });

  it('pages through instances by definition and status', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = { definitionKey: 'two', limit: '2', ...(cursor ? { cursor } : {}) };
      const page = await t.call('GET', '/v1/instances', { query });
      expect(page.status).toBe(200);
      for (const item of page.body.items) {
        expect(item).toEqual({ instanceId: expect.any(String), definitionKey: 'two', definitionVersion: 1, businessKey: null, startedAt: expect.any(String), status: 'active' });
        seen.add(item.instanceId);
      }
      cursor = page.body.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect((await t.call('GET', '/v1/instances', { query: { definitionKey: 'two', cursor: 'garbage' } })).status).toBe(400);
    expect((await t.call('GET', '/v1/instances')).body.error.details).toEqual([{ in: 'query', path: 'definitionKey', message: expect.any(String) }]);
    expect((await t.call('GET', '/v1/instances', { query: { definitionKey: 'two', status: 'sleeping' } })).status).toBe(400);
  });
});

describe('commands on an instance', () => {
  it('shows any version (time travel), rolls back, and continues from there', async () => {
    const id = await start({ n: 1 });
    expect((await t.call('POST', `/v1/jobs/${await openJob(id)}/complete`, { body: { variables: { a: 'done' } } })).status).toBe(200);
    expect((await t.call('POST', `/v1/instances/${id}/variables`, { body: { variables: { n: 2 } } })).status).toBe(200);

    const v1 = await t.call('GET', `/v1/instances/${id}/versions/1`);
    expect(v1.body).toMatchObject({ version: 1, activeElements: ['a'], variables: { n: 1 }, command: { type: 'start' }, at: expect.any(String) });
    expect((await t.call('GET', `/v1/instances/${id}/versions/3`)).body).toMatchObject({ activeElements: ['b'], variables: { n: 2, a: 'done' } });

    const rolled = await t.call('POST', `/v1/instances/${id}/rollback`, { body: { toVersion: 1 } });
    expect(rolled.status).toBe(200);
    expect(rolled.body.version).toBe(4);
    const now = await t.call('GET', `/v1/instances/${id}`);
    expect(now.body).toMatchObject({ version: 4, activeElements: ['a'], variables: { n: 1 } });
    expect(now.body.jobs[0].jobId).not.toBe(v1.body.jobs[0].jobId);
    // The job of the old world is gone; the new one continues.
    expect((await t.call('POST', `/v1/jobs/${v1.body.jobs[0].jobId}/complete`, { body: {} })).status).toBe(409);
    expect((await t.call('POST', `/v1/jobs/${now.body.jobs[0].jobId}/complete`, { body: {} })).status).toBe(200);
    expect((await t.call('POST', `/v1/jobs/${await openJob(id)}/complete`, { body: {} })).status).toBe(200);
    expect((await t.call('GET', `/v1/instances/${id}`)).body.status).toBe('completed');

    expect((await t.call('POST', `/v1/instances/${id}/rollback`, { body: { toVersion: 99 } })).status).toBe(409);
    expect((await t.call('POST', `/v1/instances/${id}/rollback`, { body: { toVersion: 0 } })).status).toBe(400);
  });

  it('cancels an instance; commands on it are then 409', async () => {
    const id = await start();
    const jobId = await openJob(id);
    const canceled = await t.call('POST', `/v1/instances/${id}/cancel`);
    expect(canceled.status).toBe(200);
    expect((await t.call('GET', `/v1/instances/${id}`)).body).toMatchObject({ status: 'canceled', jobs: [], activeElements: [] });
    expect((await t.call('GET', '/v1/jobs', { query: { type: 'step-a' } })).body.items.map((j: { jobId: string }) => j.jobId)).not.toContain(jobId);
    for (const [path, body] of [[`/v1/instances/${id}/cancel`, undefined], [`/v1/jobs/${jobId}/complete`, {}], [`/v1/instances/${id}/variables`, { variables: { x: 1 } }]] as const) {
      const answer = await t.call('POST', path, body ? { body } : {});
      expect(answer.status, path).toBe(409);
      expect(answer.body.error.code).toBe('wrong-state');
    }
    expect((await t.call('POST', '/v1/instances/nope/cancel')).status).toBe(404);
  });
});
