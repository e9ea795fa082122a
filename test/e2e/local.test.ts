/**
 * End to end through HTTP against the local runtime (`npm start`'s engine): real HTTP
 * requests -> API Gateway events -> the API Lambda -> SQS FIFO -> the commands Lambda ->
 * DynamoDB Local; job workers from lib/worker; the example deployed at start.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleWorkers, type ExampleWorkers } from '../../lib/local/example-workers.ts';
import { startLocal, type LocalRuntime } from '../../lib/local/runtime.ts';
import { createClient, type ApiClient } from '../../lib/worker/index.ts';
import { until } from '../support/wait.ts';

let local: LocalRuntime;
let client: ApiClient;


// Response bodies are read loosely here: the shapes are asserted by the expectations.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function http(path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${local.url}${path}`, init);
  const text = await res.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body };
}

beforeAll(async () => {
  local = await startLocal({ port: 0, dataDir: null });
  client = createClient({ url: local.url });
}, 120_000);

afterAll(async () => {
  await local?.stop();
});

describe('the local runtime over HTTP', () => {
  it('deployed the example at start', async () => {
    expect(local.deployed).toEqual([expect.objectContaining({ file: 'telecom-order.bpmn', status: 201 })]);
    expect((await http('/v1/definitions')).body.items).toEqual([expect.objectContaining({ key: 'telecom-order', latestVersion: 1 })]);
  });

  it('drives an order to completion with workers and the task list', async () => {
    let workers: ExampleWorkers | null = startExampleWorkers(local.url);
    try {
      const started = await http('/v1/instances', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ definitionKey: 'telecom-order', variables: { customer: { id: 'c-42' } }, businessKey: 'order-42' }) });
      expect(started.status).toBe(201);
      const id = started.body.instanceId as string;
      const task = await until(async () => (await http(`/v1/tasks?candidateGroup=sales`)).body.items?.find((t: { instanceId: string }) => t.instanceId === id));
      expect(task).toMatchObject({ elementId: 'ApproveOrder', candidateGroups: ['sales'] });
      const done = await http(`/v1/tasks/${task.taskId}/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ variables: { approved: true } }) });
      expect(done.status).toBe(200);
      const finished = await until(async () => {
        const view = (await http(`/v1/instances/${id}`)).body;
        return view.status === 'completed' ? view : null;
      });
      expect(finished.variables).toMatchObject({ identityVerified: true, approved: true, creditScore: expect.any(Number) });
      const history = (await http(`/v1/instances/${id}/history`)).body.versions as Array<{ command: { type: string } }>;
      expect(history.map((v) => v.command.type)).toEqual(['start', 'completeJob', 'completeJob', 'completeTask', 'completeJob']);
    } finally {
      await workers?.stop();
      workers = null;
    }
  }, 90_000);

  it('rolls back to an earlier version and continues from there', async () => {
    const { instanceId } = (await http('/v1/instances', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ definitionKey: 'telecom-order', variables: { customer: { id: 'c-7' } } }) })).body;
    const [kyc] = (await client.listJobs({ instanceId })).items;
    expect((await client.completeJob(kyc!.jobId, { identityVerified: false })).status).toBe('applied');
    expect((await http(`/v1/instances/${instanceId}`)).body.status).toBe('completed');
    const back = await http(`/v1/instances/${instanceId}/rollback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ toVersion: 1 }) });
    expect(back.status).toBe(200);
    const view = (await http(`/v1/instances/${instanceId}`)).body;
    expect(view).toMatchObject({ status: 'active', activeElements: ['VerifyIdentity'], version: 3 });
    const [again] = (await client.listJobs({ instanceId })).items;
    expect(again!.jobId).not.toBe(kyc!.jobId);
    expect((await http(`/v1/jobs/${kyc!.jobId}/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(409);
    await client.completeJob(again!.jobId, { identityVerified: true });
    expect((await http(`/v1/instances/${instanceId}`)).body.activeElements).toEqual(['CheckCredit']);
  }, 60_000);

  it('concurrent duplicate completion of one job: exactly one applied, the others 409', async () => {
    const { instanceId } = (await http('/v1/instances', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ definitionKey: 'telecom-order', variables: { customer: { id: 'c-8' } } }) })).body;
    const [kyc] = (await client.listJobs({ instanceId })).items;
    const answers = await Promise.all(Array.from({ length: 8 }, () => http(`/v1/jobs/${kyc!.jobId}/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ variables: { identityVerified: true } }) })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(7);
  }, 60_000);

  it('messages published before and after their subscription opens', async () => {
    const xml = readFileSync(new URL('../fixtures/e2e/payment.bpmn', import.meta.url), 'utf8');
    expect((await http('/v1/definitions', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml })).status).toBe(201);
    const early = await http('/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'payment-received', correlationKey: 'o-1', variables: { amount: 10 }, timeToLiveMs: 60_000 }) });
    expect(early.status).toBe(202);
    const first = (await http('/v1/instances', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ definitionKey: 'payment', variables: { orderId: 'o-1' } }) })).body.instanceId;
    await until(async () => (await http(`/v1/instances/${first}`)).body.status === 'completed');
    const second = (await http('/v1/instances', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ definitionKey: 'payment', variables: { orderId: 'o-2' } }) })).body.instanceId;
    await until(async () => (await http(`/v1/instances/${second}`)).body.activeElements?.includes('WaitForPayment'));
    const late = await http('/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'payment-received', correlationKey: 'o-2', variables: { amount: 20 } }) });
    expect(late.body.correlated).toBe(1);
    const view = await until(async () => {
      const v = (await http(`/v1/instances/${second}`)).body;
      return v.status === 'completed' ? v : null;
    });
    expect(view.variables.amount).toBe(20);
  }, 60_000);

  it('bad input gets its 4xx and stores nothing', async () => {
    const before = (await http('/v1/definitions')).body.items.length;
    expect((await http('/v1/definitions', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<bpmn:definitions' })).status).toBe(400);
    const xxe = '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>';
    const refused = await http('/v1/definitions', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xxe });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).not.toContain('root:');
    expect((await http('/v1/definitions')).body.items.length).toBe(before);
    expect((await http('/v1/instances/nope')).status).toBe(404);
    expect((await http('/v1/jobs/nope.3/complete', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
    expect((await http('/v1/instances', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"definitionKey": 42}' })).status).toBe(400);
    expect((await http('/v1/instances', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' })).status).toBe(400);
  });
});
