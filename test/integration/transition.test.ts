import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deploy } from '../../lib/app/definitions.ts';
import { applyCommand } from '../../lib/app/transition.ts';
import { testRuntime } from './runtime.ts';

const telecom = readFileSync(new URL('../../examples/telecom-order.bpmn', import.meta.url), 'utf8');

describe('transition protocol on DynamoDB Local', () => {
  it('runs the telecom order through versions, head swaps and the job and task indexes', async () => {
    const rt = await testRuntime();
    const [deployed] = await deploy(rt.definitions, rt.clock, telecom);
    expect(deployed).toEqual({ key: 'telecom-order', version: 1, created: true });
    expect(await deploy(rt.definitions, rt.clock, telecom)).toEqual([{ key: 'telecom-order', version: 1, created: false }]);

    const started = await applyCommand(rt.transition, {
      id: 'start-1', instanceId: 'order1', definition: { key: 'telecom-order', version: 1 },
      command: { type: 'start', instanceId: 'order1', variables: { customer: { id: 'c1' } } },
    });
    expect(started).toMatchObject({ status: 'applied', version: 1 });
    const [kyc] = await rt.index.listJobs('kyc-check');
    expect(kyc).toMatchObject({ instanceId: 'order1', elementId: 'VerifyIdentity' });

    await applyCommand(rt.transition, { id: 'c2', instanceId: 'order1', command: { type: 'completeJob', jobId: kyc!.jobId, variables: { identityVerified: true } } });
    expect(await rt.index.listJobs('kyc-check')).toEqual([]);
    const [credit] = await rt.index.listJobs('credit-check');
    await applyCommand(rt.transition, { id: 'c3', instanceId: 'order1', command: { type: 'completeJob', jobId: credit!.jobId } });
    const [task] = await rt.index.listTasks({ candidateGroup: 'sales' });
    expect(task).toMatchObject({ elementId: 'ApproveOrder', instanceId: 'order1' });
    await applyCommand(rt.transition, { id: 'c4', instanceId: 'order1', command: { type: 'completeTask', taskId: task!.taskId, variables: { approved: true } } });
    expect(await rt.index.listTasks({ candidateGroup: 'sales' })).toEqual([]);
    const [provision] = await rt.index.listJobs('provision-line');
    const done = await applyCommand(rt.transition, { id: 'c5', instanceId: 'order1', command: { type: 'completeJob', jobId: provision!.jobId } });
    expect(done).toMatchObject({ status: 'applied', version: 5 });

    const head = await rt.instances.getHead('order1', true);
    expect(head).toMatchObject({ version: 5, status: 'completed', commandId: 'c5', definitionKey: 'telecom-order', definitionVersion: 1 });
    const versions = await rt.instances.listVersions('order1');
    expect(versions.map((v) => [v.version, v.commandId])).toEqual([[1, 'start-1'], [2, 'c2'], [3, 'c3'], [4, 'c4'], [5, 'c5']]);
    expect(versions[4]?.state.status).toBe('completed');
    const active = await rt.instances.listInstances({ definitionKey: 'telecom-order', status: 'active' });
    const completed = await rt.instances.listInstances({ definitionKey: 'telecom-order', status: 'completed' });
    expect(active.items).toEqual([]);
    expect(completed.items.map((h) => h.instanceId)).toEqual(['order1']);
  });

  it('a redelivered command finds its id in the latest version and changes nothing', async () => {
    const rt = await testRuntime();
    await deploy(rt.definitions, rt.clock, telecom);
    const start = { id: 's', instanceId: 'i2', definition: { key: 'telecom-order', version: 1 }, command: { type: 'start' as const, instanceId: 'i2' } };
    await applyCommand(rt.transition, start);
    expect(await applyCommand(rt.transition, start)).toMatchObject({ status: 'duplicate', version: 1 });
    expect(await rt.instances.listVersions('i2')).toHaveLength(1);
  });

  it('a stale command (a job that is gone) is a rejection with a reason, not an error', async () => {
    const rt = await testRuntime();
    await deploy(rt.definitions, rt.clock, telecom);
    await applyCommand(rt.transition, { id: 's', instanceId: 'i3', definition: { key: 'telecom-order', version: 1 }, command: { type: 'start', instanceId: 'i3' } });
    const outcome = await applyCommand(rt.transition, { id: 'x', instanceId: 'i3', command: { type: 'completeJob', jobId: 'i3.99' } });
    expect(outcome).toMatchObject({ status: 'rejected', rejection: { code: 'NOT_FOUND' } });
    expect(await rt.instances.listVersions('i3')).toHaveLength(1);
  });
});
