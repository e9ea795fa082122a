/**
 * Nothing dies silently: a command in the commands DLQ is tried once more by the sweeper;
 * one that still fails becomes a dead command with an incident on its instance, listed by the
 * API and redrivable; one that now works (an outage ended, an orphan version) heals.
 * The DLQ is filled the way SQS fills it (the message moved there after its last receive).
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { deploy } from '../../lib/app/definitions.ts';
import { sweepDeadCommands } from '../../lib/app/dead-letters.ts';
import { applyCommand, type TransitionDeps } from '../../lib/app/transition.ts';
import type { CommandEnvelope, InstanceVersion } from '../../lib/ports.ts';
import { bpmn, flows, job } from '../../lib/testing/index.ts';
import { startApi, until, type TestApi } from '../http/harness.ts';
import { FaultPlan, faultyDeps, storeWith } from './faults.ts';
import { quietLogger } from './runtime.ts';

const model = bpmn(`<startEvent id="s"/><serviceTask id="work">${job('work')}</serviceTask><endEvent id="e"/>${flows('s', 'work', 'e')}`, { id: 'dl' });

let api: TestApi;
afterAll(async () => api?.stop());

async function setUp(instanceId: string): Promise<{ version: number; jobId: string }> {
  api ??= await startApi();
  const [def] = await deploy(api.rt.definitions, api.rt.clock, model);
  await applyCommand(api.rt.transition, { id: `start-${instanceId}`, instanceId, definition: { key: 'dl', version: def!.version }, command: { type: 'start', instanceId } });
  const { latest } = await api.rt.instances.load(instanceId, true);
  const jobKey = Object.keys(latest!.state.jobs)[0]!;
  return { version: def!.version, jobId: `${instanceId}.${jobKey}` };
}

/** What SQS does after the last failed receive: the message is in the DLQ. */
async function deadLetter(envelope: CommandEnvelope): Promise<void> {
  await api.rt.sqs.send(new SendMessageCommand({
    QueueUrl: api.rt.queues.commandsDlq, MessageBody: JSON.stringify(envelope), MessageGroupId: envelope.instanceId, MessageDeduplicationId: envelope.id,
  }));
}

/** The transition with a store that keeps failing to write one command's version (an item DynamoDB keeps refusing). */
function failingFor(commandId: string): TransitionDeps {
  const deps = api.rt.transition;
  return {
    ...deps,
    instances: storeWith(deps.instances, {
      async putVersion(version: InstanceVersion) {
        if (version.commandId === commandId) throw Object.assign(new Error('injected: the write keeps failing'), { name: 'InternalServerError' });
        return deps.instances.putVersion(version);
      },
    }),
  };
}

describe('dead commands', () => {
  it('a command that still fails is kept, raises an incident on its instance, is listed by the API, and redriving it applies it once', async () => {
    const { jobId } = await setUp('dead1');
    const envelope: CommandEnvelope = { id: 'complete-dead1', instanceId: 'dead1', command: { type: 'completeJob', jobId, variables: { done: true } } };
    await deadLetter(envelope);
    const swept = await sweepDeadCommands({ transition: failingFor('complete-dead1'), source: api.rt.deadCommandSource!, store: api.rt.deadCommands, logger: quietLogger });
    expect(swept).toEqual({ healed: 0, rejected: 0, dead: 1, dropped: 0 });

    const listed = await api.call('GET', '/v1/dead-letters');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ commandId: 'complete-dead1', instanceId: 'dead1', envelope, reason: expect.stringContaining('keeps failing') });
    const incidentId = listed.body.items[0].incidentId as string;
    const instance = await api.call('GET', '/v1/instances/dead1');
    expect(instance.body.status).toBe('incident');
    expect(instance.body.incidents).toEqual([expect.objectContaining({ incidentId, kind: 'command', message: expect.stringContaining("'complete-dead1' (completeJob) failed for good") })]);
    expect((await api.call('GET', '/v1/dead-letters/complete-dead1')).body.commandId).toBe('complete-dead1');

    const redriven = await api.call('POST', '/v1/dead-letters/complete-dead1/redrive');
    expect(redriven.status).toBe(202);
    expect(redriven.body).toEqual({ commandId: 'complete-dead1', instanceId: 'dead1', via: 'incident' });
    await until(async () => (await api.rt.instances.getHead('dead1', true))?.status === 'completed', 20_000, 'the redriven completion');
    const versions = await api.rt.instances.listVersions('dead1');
    expect(versions.filter((v) => v.commandId === 'complete-dead1')).toHaveLength(1);
    expect((await api.call('GET', '/v1/dead-letters')).body.items).toEqual([]);
    expect(await api.rt.index.listJobs('work')).toEqual([]);
  });

  it('a dead command that works now heals: applied once, nothing kept', async () => {
    const { jobId } = await setUp('dead2');
    await deadLetter({ id: 'complete-dead2', instanceId: 'dead2', command: { type: 'completeJob', jobId } });
    const swept = await sweepDeadCommands({ transition: api.rt.transition, source: api.rt.deadCommandSource!, store: api.rt.deadCommands, logger: quietLogger });
    expect(swept).toEqual({ healed: 1, rejected: 0, dead: 0, dropped: 0 });
    expect((await api.rt.instances.getHead('dead2', true))?.status).toBe('completed');
    expect((await api.rt.deadCommands.list()).items.filter((d) => d.instanceId === 'dead2')).toEqual([]);
  });

  it('the sweep finishes a version its writer left beyond the head', async () => {
    const { jobId } = await setUp('dead3');
    const plan = new FaultPlan();
    plan.arm('afterPut');
    const envelope: CommandEnvelope = { id: 'complete-dead3', instanceId: 'dead3', command: { type: 'completeJob', jobId } };
    await expect(applyCommand(faultyDeps(api.rt.transition, plan), envelope)).rejects.toThrow(/injected crash/);
    expect((await api.rt.instances.getHead('dead3', true))?.version).toBe(1); // version 2 is an orphan
    await deadLetter(envelope);
    const swept = await sweepDeadCommands({ transition: api.rt.transition, source: api.rt.deadCommandSource!, store: api.rt.deadCommands, logger: quietLogger });
    expect(swept.healed).toBe(1);
    const head = await api.rt.instances.getHead('dead3', true);
    expect(head).toMatchObject({ version: 2, status: 'completed', commandId: 'complete-dead3' });
    // Rolling forward emitted the orphan's effects: its job is gone from the index workers read.
    expect((await api.rt.index.listJobs('work')).filter((j) => j.instanceId === 'dead3')).toEqual([]);
  });
});
