/**
 * The telecom order (examples/telecom-order.bpmn) end to end through the API only, as
 * a worker and a clerk would drive it; and ten workers completing one job at once.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from './harness.ts';

const telecom = readFileSync(new URL('../../examples/telecom-order.bpmn', import.meta.url), 'utf8');

let t: TestApi;
beforeAll(async () => {
  t = await startApi();
  expect((await t.call('POST', '/v1/definitions', { body: telecom, headers: { 'content-type': 'application/xml' } })).status).toBe(201);
});
afterAll(async () => { await t.stop(); });

async function start(customer: string): Promise<string> {
  const started = await t.call('POST', '/v1/instances', { body: { definitionKey: 'telecom-order', variables: { customer: { id: customer } }, businessKey: `order-${customer}` } });
  expect(started.status).toBe(201);
  expect(started.body).toEqual({ status: 'applied', commandId: expect.any(String), instanceId: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), version: 1 });
  return started.body.instanceId as string;
}

async function activateOne(type: string, instanceId: string): Promise<{ jobId: string; variables: Record<string, unknown>; headers: Record<string, string> }> {
  const activated = await t.call('POST', '/v1/jobs/activate', { body: { type, maxJobs: 10, timeoutMs: 60_000, worker: 'w1' } });
  expect(activated.status).toBe(200);
  const job = activated.body.items.find((j: { instanceId: string }) => j.instanceId === instanceId);
  expect(job, `a ${type} job of ${instanceId}`).toBeDefined();
  return job;
}

describe('the telecom order through the API', () => {
  it('runs KYC -> credit -> approval by sales -> provisioning -> completed, with its history', async () => {
    const id = await start('c-1');
    const fresh = await t.call('GET', `/v1/instances/${id}`);
    expect(fresh.body).toMatchObject({
      instanceId: id, definitionKey: 'telecom-order', definitionVersion: 1, businessKey: 'order-c-1', status: 'active', version: 1,
      variables: { customer: { id: 'c-1' } }, activeElements: ['VerifyIdentity'], incidents: [], tasks: [],
    });
    expect(fresh.body.jobs).toEqual([expect.objectContaining({ type: 'kyc-check', elementId: 'VerifyIdentity', retries: 3 })]);

    // Jobs by type (the index) and by instance (the state) show the same job.
    const byType = await t.call('GET', '/v1/jobs', { query: { type: 'kyc-check' } });
    const byInstance = await t.call('GET', '/v1/jobs', { query: { instanceId: id } });
    const kycJob = { jobId: `${id}.3`, type: 'kyc-check', instanceId: id, elementId: 'VerifyIdentity', variables: { customer: { id: 'c-1' }, customerId: 'c-1' }, headers: { provider: 'kyc-platform' }, retries: 3 };
    expect(byType.body.items).toContainEqual(kycJob);
    expect(byInstance.body.items).toEqual([kycJob]);

    // A leased job is not handed to a second worker.
    const kyc = await activateOne('kyc-check', id);
    expect(kyc).toEqual(kycJob);
    const second = await t.call('POST', '/v1/jobs/activate', { body: { type: 'kyc-check', maxJobs: 10, timeoutMs: 60_000, worker: 'w2' } });
    expect(second.body.items.map((j: { jobId: string }) => j.jobId)).not.toContain(kyc.jobId);

    const kycDone = await t.call('POST', `/v1/jobs/${kyc.jobId}/complete`, { body: { variables: { identityVerified: true } } });
    expect(kycDone.status).toBe(200);
    expect(kycDone.body).toMatchObject({ status: 'applied', instanceId: id, version: 2 });

    const credit = await activateOne('credit-check', id);
    expect((await t.call('POST', `/v1/jobs/${credit.jobId}/complete`, { body: { variables: { creditScore: 710 } } })).status).toBe(200);

    const tasks = await t.call('GET', '/v1/tasks', { query: { candidateGroup: 'sales' } });
    const task = tasks.body.items.find((x: { instanceId: string }) => x.instanceId === id);
    expect(task).toMatchObject({ elementId: 'ApproveOrder', name: 'Approve order', assignee: null, candidateGroups: ['sales'], formId: 'approve-order', formKey: null });
    expect(task.variables).toMatchObject({ customer: { id: 'c-1' }, identityVerified: true, creditScore: 710 });
    expect((await t.call('GET', `/v1/tasks/${task.taskId}`)).body).toMatchObject({ taskId: task.taskId, elementId: 'ApproveOrder' });
    expect((await t.call('POST', `/v1/tasks/${task.taskId}/complete`, { body: { variables: { approved: true } } })).status).toBe(200);
    expect((await t.call('POST', `/v1/tasks/${task.taskId}/complete`, { body: { variables: { approved: true } } })).status).toBe(409);

    const provision = await activateOne('provision-line', id);
    const last = await t.call('POST', `/v1/jobs/${provision.jobId}/complete`, { body: {} });
    expect(last.status).toBe(200);

    const done = await t.call('GET', `/v1/instances/${id}`);
    expect(done.body).toMatchObject({ status: 'completed', activeElements: [], jobs: [], tasks: [], endedAt: expect.any(String) });
    expect(done.body.variables).toMatchObject({ identityVerified: true, creditScore: 710, approved: true });

    const history = await t.call('GET', `/v1/instances/${id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.versions.map((v: { version: number; command: { type: string } }) => [v.version, v.command.type]))
      .toEqual([[1, 'start'], [2, 'completeJob'], [3, 'completeJob'], [4, 'completeTask'], [5, 'completeJob']]);
    expect(history.body.versions[4].events).toContainEqual(expect.objectContaining({ type: 'InstanceCompleted' }));
    expect(history.body.next).toBeNull();
    const page = await t.call('GET', `/v1/instances/${id}/history`, { query: { after: '1', limit: '2' } });
    expect(page.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 3]);
    expect(page.body.next).toBe(3);

    const completed = await t.call('GET', '/v1/instances', { query: { definitionKey: 'telecom-order', status: 'completed' } });
    expect(completed.body.items).toContainEqual(expect.objectContaining({ instanceId: id, status: 'completed', businessKey: 'order-c-1', definitionVersion: 1 }));
    const active = await t.call('GET', '/v1/instances', { query: { definitionKey: 'telecom-order' } });
    expect(active.body.items.map((i: { instanceId: string }) => i.instanceId)).not.toContain(id);
  });

  it('ten concurrent completions of one job: exactly one applies, the others get 409', async () => {
    const id = await start('c-race');
    const jobId = `${id}.3`;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => t.call('POST', `/v1/jobs/${jobId}/complete`, {
      body: { variables: { identityVerified: true, by: i } }, query: { wait: '15000' },
    })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body.error.code).toBe('not-open');
    const history = await t.call('GET', `/v1/instances/${id}/history`);
    expect(history.body.versions.filter((v: { command: { type: string } }) => v.command.type === 'completeJob')).toHaveLength(1);
  });
});
