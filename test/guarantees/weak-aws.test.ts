/**
 * The engine's guarantees on AWS's weaker behaviour, one scenario each (issue: weak-AWS
 * simulation). The DynamoDB client is wrapped with the weak-AWS layer (test/support/weak-aws):
 * the requests still go to DynamoDB Local, which then answers like AWS at its weakest.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deploy } from '../../lib/app/definitions.ts';
import { processTimerBatch } from '../../lib/app/timers.ts';
import { applyCommand, rollForward } from '../../lib/app/transition.ts';
import type { CommandEnvelope } from '../../lib/ports.ts';
import { bpmn, flows, job, message } from '../../lib/testing/index.ts';
import { clients, testRuntime, type TestRuntime } from '../integration/runtime.ts';
import { sqsRecord } from '../support/sqs-record.ts';
import { weakDynamo } from '../support/weak-aws/index.ts';
import { drain, recordingBus, recordingHandOff } from '../timers/helpers.ts';

const threeTasks = bpmn(`<startEvent id="s"/>${['a', 'b', 'c'].map((t) => `<serviceTask id="${t}">${job(t)}</serviceTask>`).join('')}<endEvent id="e"/>${flows('s', 'a', 'b', 'c', 'e')}`, { id: 'g3' });

async function started(rt: TestRuntime, instanceId: string): Promise<void> {
  const [def] = await deploy(rt.definitions, rt.clock, threeTasks);
  const outcome = await applyCommand(rt.transition, { id: `start-${instanceId}`, instanceId, definition: { key: 'g3', version: def!.version }, command: { type: 'start', instanceId } });
  expect(outcome.status).toBe('applied');
}

async function openJob(rt: TestRuntime, instanceId: string): Promise<string> {
  const { latest } = await rt.instances.load(instanceId, true);
  return `${instanceId}.${Object.keys(latest!.state.jobs)[0]}`;
}

/** Variables that do not compress: `kb` kilobytes of hashes. */
function noise(kb: number, seed: string): Record<string, string> {
  const chunks: string[] = [];
  for (let i = 0; chunks.join('').length < kb * 1024; i++) chunks.push(createHash('sha256').update(`${seed}:${i}`).digest('base64'));
  return { blob: chunks.join('').slice(0, kb * 1024) };
}

describe('on weak AWS', () => {
  it('a command judged on a stale replica is not lost: the rejection is checked on a consistent read', async () => {
    const { dynamodb } = clients();
    const weak = weakDynamo(dynamodb, { seed: 1 });
    const rt = await testRuntime({ dynamodb });
    await started(rt, 'stale1');
    const jobId = await openJob(rt, 'stale1');
    // Every eventually consistent read now comes from a replica 60 s behind: it has no instance yet.
    weak.set({ staleReads: { probability: 1, lagMs: 60_000 } });
    const outcome = await applyCommand(rt.transition, { id: 'complete-stale1', instanceId: 'stale1', command: { type: 'completeJob', jobId } });
    expect(weak.stats['staleReads']).toBeGreaterThan(0);
    expect(outcome.status).toBe('applied');
    weak.off();
    expect((await rt.instances.getHead('stale1', true))?.commandId).toBe('complete-stale1');
  });

  it('a command judged on a replica that has an older version (its job not open yet) is not lost either', async () => {
    const { dynamodb } = clients();
    let t = 1_000_000;
    const weak = weakDynamo(dynamodb, { seed: 2, clock: () => t });
    const rt = await testRuntime({ dynamodb });
    await started(rt, 'stale2');
    t += 60_000;
    await applyCommand(rt.transition, { id: 'complete-a-stale2', instanceId: 'stale2', command: { type: 'completeJob', jobId: await openJob(rt, 'stale2') } });
    const jobB = await openJob(rt, 'stale2'); // opened by version 2
    t += 1_000;
    // The replica is 30 s behind: it has version 1 (job b not open) and not version 2.
    weak.set({ staleReads: { probability: 1, lagMs: 30_000 } });
    const outcome = await applyCommand(rt.transition, { id: 'complete-b-stale2', instanceId: 'stale2', command: { type: 'completeJob', jobId: jobB } });
    weak.off();
    expect(weak.stats['staleReads']).toBeGreaterThan(0);
    expect(outcome).toMatchObject({ status: 'applied', version: 3 });
  });

  it('a state grown past a version item becomes an incident on the job, not a wedged instance; the instance can still be canceled', async () => {
    const rt = await testRuntime();
    await started(rt, 'big1');
    // Each completion is within the per-command limit; together they outgrow a version item.
    let status: string | undefined;
    for (let i = 0; i < 3 && status !== 'incident'; i++) {
      const jobId = await openJob(rt, 'big1');
      const outcome = await applyCommand(rt.transition, { id: `complete-big1-${i}`, instanceId: 'big1', command: { type: 'completeJob', jobId, variables: { [`part${i}`]: noise(190, `big${i}`) } } });
      expect(outcome.status).toBe('applied');
      status = (await rt.instances.getHead('big1', true))?.status;
    }
    expect(status).toBe('incident');
    const { latest } = await rt.instances.load('big1', true);
    const incidents = Object.values(latest!.state.incidents);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.message).toMatch(/was not applied: the instance would take \d+ bytes stored, more than 380000/);
    expect(latest!.command.type).toBe('failJob'); // the version records what was applied, not the oversized completion
    const cancel = await applyCommand(rt.transition, { id: 'cancel-big1', instanceId: 'big1', command: { type: 'cancel' } });
    expect(cancel.status).toBe('applied');
    expect(await rt.index.listJobs('a')).toEqual([]);
  });

  it('a non-idempotent command replayed long after (past every time window) is a duplicate, also after a rollback', async () => {
    const rt = await testRuntime();
    await started(rt, 'replay1');
    const setVars: CommandEnvelope = { id: 'vars-once', instanceId: 'replay1', command: { type: 'setVariables', variables: { n: 1 } } };
    expect((await applyCommand(rt.transition, setVars)).status).toBe('applied');
    for (let i = 0; i < 34; i++) await applyCommand(rt.transition, { id: `other-${i}`, instanceId: 'replay1', command: { type: 'setVariables', variables: { i } } });
    const back: CommandEnvelope = { id: 'back-once', instanceId: 'replay1', command: { type: 'rollback', toVersion: 1 } };
    expect((await applyCommand(rt.transition, back)).status).toBe('applied');
    await applyCommand(rt.transition, { id: 'after-back', instanceId: 'replay1', command: { type: 'setVariables', variables: { after: true } } });
    const versions = (await rt.instances.listVersions('replay1', { limit: 1000 })).length;
    expect(await applyCommand(rt.transition, setVars)).toMatchObject({ status: 'duplicate', version: 2 });
    expect(await applyCommand(rt.transition, back)).toMatchObject({ status: 'duplicate', version: 37 });
    expect((await rt.instances.listVersions('replay1', { limit: 1000 })).length).toBe(versions);
  });

  it('a timer handed over less than a second early is not fired early (it goes round once more)', async () => {
    const clock = { now: () => 10_000 };
    const commands = recordingBus();
    const timers = recordingHandOff(clock);
    await processTimerBatch({ commands, timers, clock, logger: console }, [sqsRecord({ timerId: 'i.7', instanceId: 'i', dueAt: 10_400 })]);
    expect(commands.sent).toEqual([]);
    expect(timers.handed.map((h) => h.timer.timerId)).toEqual(['i.7']);
    await processTimerBatch({ commands, timers, clock: { now: () => 10_400 }, logger: console }, [sqsRecord({ timerId: 'i.7', instanceId: 'i', dueAt: 10_400 })]);
    expect(commands.sent.map((c) => c.command)).toEqual([{ type: 'fireTimer', timerId: 'i.7' }]);
  });

  it('a late re-emit of a version does not bring back a job that a later version closed', async () => {
    const rt = await testRuntime();
    await started(rt, 'late1');
    const first = await rt.instances.getVersion('late1', 1);
    const jobId = await openJob(rt, 'late1');
    await applyCommand(rt.transition, { id: 'complete-late1', instanceId: 'late1', command: { type: 'completeJob', jobId } });
    expect((await rt.index.listJobs('a')).map((j) => j.jobId)).toEqual([]);
    // A slow writer of version 1 emits it now (as if its emit had stalled), believing the head is still absent.
    await rollForward(rt.transition, first!, null);
    expect((await rt.index.listJobs('a')).map((j) => j.jobId)).toEqual([]);
    expect((await rt.index.listJobs('b'))).toHaveLength(1);
    // The head never moves back: the late writer's swap is refused.
    expect((await rt.instances.getHead('late1', true))?.version).toBe(2);
  });

  it('a late re-emit does not hand out a job that waits for its incident', async () => {
    const rt = await testRuntime();
    await started(rt, 'late2');
    const first = await rt.instances.getVersion('late2', 1);
    const jobId = await openJob(rt, 'late2');
    await applyCommand(rt.transition, { id: 'fail-late2', instanceId: 'late2', command: { type: 'failJob', jobId, retries: 0, errorMessage: 'broken' } });
    expect(await rt.index.listJobs('a')).toEqual([]);
    await rollForward(rt.transition, first!, null);
    expect(await rt.index.listJobs('a')).toEqual([]);
  });

  it('effects keep their ids when a version is emitted again: a published message is the same message', async () => {
    const rt = await testRuntime();
    const model = bpmn(`<startEvent id="s"/><intermediateThrowEvent id="tell"><messageEventDefinition messageRef="m"/></intermediateThrowEvent><serviceTask id="a">${job('a')}</serviceTask><endEvent id="e"/>${flows('s', 'tell', 'a', 'e')}`, { id: 'teller', rootElements: message('m', 'order-told', '="k1"') });
    const [def] = await deploy(rt.definitions, rt.clock, model);
    await applyCommand(rt.transition, { id: 'start-tell1', instanceId: 'tell1', definition: { key: 'teller', version: def!.version }, command: { type: 'start', instanceId: 'tell1' } });
    const first = await rt.instances.getVersion('tell1', 1);
    await rt.transition.effects.emit(first!); // a crash-and-roll-forward emits the version again
    const sent = await drain(rt.sqs, rt.queues.outbox);
    const ids = sent.map((m) => m['id']);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^tell1:1:\d+$/);
  });
});
