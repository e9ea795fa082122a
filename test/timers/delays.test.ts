/**
 * Timers end to end on the emulators with real (small) delays: short timers on the SQS
 * delay queue, long ones (the threshold lowered to 2 s) through the DynamoDB due-time
 * items and the sweep; the effect dispatcher choosing between them and canceling; a
 * boundary timer racing a job completion through real transitions; stale fires logged.
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { bucketOf, timersPks } from '../../lib/adapters/scheduler/dynamodb.ts';
import { processBatch } from '../../lib/app/batch.ts';
import { deploy } from '../../lib/app/definitions.ts';
import { processTimerBatch } from '../../lib/app/timers.ts';
import { applyCommand } from '../../lib/app/transition.ts';
import { SqsPoller } from '../../lib/local/poller.ts';
import type { InstanceVersion } from '../../lib/ports.ts';
import { bpmn, flows, job } from '../../lib/testing/index.ts';
import { quietLogger, testRuntime, type TestRuntime } from '../integration/runtime.ts';
import { delayedCount, percentile } from './helpers.ts';
import { until } from '../support/wait.ts';

const waiting = (id: string, duration: string) => bpmn(`<startEvent id="start"/><intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>${duration}</timeDuration></timerEventDefinition></intermediateCatchEvent><endEvent id="end"/>${flows('start', 'wait', 'end')}`, { id });


/** How late the timer's fire was applied: the fire version's time minus the due time scheduled in version 1. */
function latenessOf(versions: InstanceVersion[]): number {
  const scheduled = versions.flatMap((v) => v.effects).find((e) => e.type === 'timer.scheduled') as { dueAt: number };
  const fired = versions.find((v) => v.command.type === 'fireTimer') as InstanceVersion;
  return fired.at - scheduled.dueAt;
}

function running(rt: TestRuntime, sweepEveryMs: number): () => Promise<void> {
  const commands = new SqsPoller(rt.sqs, rt.queues.commands, (e) => processBatch(rt.transition, e.Records), { concurrency: 4 }).start();
  const timers = new SqsPoller(rt.sqs, rt.queues.timers, (e) => processTimerBatch(rt, e.Records), { concurrency: 2 }).start();
  let sweeping = Promise.resolve();
  const sweep = setInterval(() => { sweeping = sweeping.then(() => rt.sweeper?.sweep()).then(() => undefined, () => undefined); }, sweepEveryMs);
  return async () => {
    clearInterval(sweep);
    await sweeping;
    await Promise.all([commands.stop(), timers.stop()]);
  };
}

describe('timers with real delays', () => {
  it('fires 2 s timers (SQS delay) and 6 s timers (swept DynamoDB items) on time, each once', async () => {
    const rt = await testRuntime({ maxDelayMs: 2000, timerLeadMs: 2000, timerBucketMs: 1000 });
    const [short] = await deploy(rt.definitions, rt.clock, waiting('short', 'PT2S'));
    const [long] = await deploy(rt.definitions, rt.clock, waiting('long', 'PT6S'));
    const stop = running(rt, 250);
    try {
      const ids = Array.from({ length: 5 }, (_, i) => [`s${i}`, `l${i}`]).flat();
      await rt.commands.send(ids.map((id) => ({
        id: `start-${id}`, instanceId: id, definition: id.startsWith('s') ? { key: 'short', version: short!.version } : { key: 'long', version: long!.version },
        command: { type: 'start' as const, instanceId: id },
      })));
      await until(async () => (await Promise.all(ids.map((id) => rt.instances.getHead(id, true)))).every((h) => h?.status === 'completed'), 40_000);
      const lateness: Record<string, number[]> = { short: [], long: [] };
      for (const id of ids) {
        const versions = await rt.instances.listVersions(id);
        expect(versions.map((v) => v.command.type)).toEqual(['start', 'fireTimer']);
        lateness[id.startsWith('s') ? 'short' : 'long']?.push(latenessOf(versions));
      }
      for (const [kind, values] of Object.entries(lateness)) {
        values.sort((a, b) => a - b);
        console.log(`[timers delays] ${kind}: lateness p50 ${percentile(values, 50)} ms, max ${values.at(-1)} ms`);
        expect(values[0]).toBeGreaterThanOrEqual(0);
        expect(values.at(-1)).toBeLessThan(3000);
      }
    } finally {
      await stop();
    }
  }, 90_000);
});

describe('the effect dispatcher', () => {
  it('puts a timer due within 15 minutes on the SQS delay queue, a later one in the durable schedule, and deletes it when the token leaves', async () => {
    const rt = await testRuntime();
    const xml = bpmn(`<startEvent id="start"/><parallelGateway id="fork"/>
      <intermediateCatchEvent id="soon"><timerEventDefinition><timeDuration>PT5M</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <intermediateCatchEvent id="later"><timerEventDefinition><timeDuration>PT2H</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <endEvent id="e1"/><endEvent id="e2"/>${flows('start', 'fork')}${flows('fork', 'soon', 'e1')}${flows('fork', 'later', 'e2')}`, { id: 'two' });
    const [def] = await deploy(rt.definitions, rt.clock, xml);
    const before = await delayedCount(rt.sqs, rt.queues.timers);
    await applyCommand(rt.transition, { id: 'start', instanceId: 'two-1', definition: { key: 'two', version: def!.version }, command: { type: 'start', instanceId: 'two-1' } });
    expect(await delayedCount(rt.sqs, rt.queues.timers)).toBe(before + 1);
    const [v1] = await rt.instances.listVersions('two-1');
    const later = v1!.effects.find((e) => e.type === 'timer.scheduled' && e.elementId === 'later') as { dueAt: number; timerId: string };
    const items = async () => (await Promise.all(timersPks(bucketOf(later.dueAt)).map(async (pk) => (await rt.dynamodb.send(new QueryCommand({ TableName: rt.config.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: marshall({ ':pk': pk }) }))).Items ?? []))).flat();
    expect(await items()).toHaveLength(1);

    await applyCommand(rt.transition, { id: 'cancel', instanceId: 'two-1', command: { type: 'cancel' } });
    expect(await items()).toHaveLength(0);

    // A late fire of the canceled timer changes nothing, and the reason is logged.
    const late = await applyCommand(rt.transition, { id: `timer:${later.timerId}`, instanceId: 'two-1', command: { type: 'fireTimer', timerId: later.timerId } });
    expect(late.status).toBe('rejected');
    expect(quietLogger.lines).toContainEqual(expect.objectContaining({ message: 'command rejected', data: expect.objectContaining({ instanceId: 'two-1', type: 'fireTimer' }) }));
  });
});

describe('a boundary timer racing a job completion', () => {
  it('lets exactly one of them win, through concurrent transitions, and logs why the other changed nothing', async () => {
    const rt = await testRuntime();
    const xml = bpmn(`
      <startEvent id="start"/><serviceTask id="work">${job('work')}</serviceTask><userTask id="review"/><endEvent id="end"/>
      <boundaryEvent id="timeout" attachedToRef="work"><timerEventDefinition><timeDuration>PT1S</timeDuration></timerEventDefinition></boundaryEvent>
      <userTask id="lateReview"/><endEvent id="late"/>
      ${flows('start', 'work', 'review', 'end')}${flows('timeout', 'lateReview', 'late')}`, { id: 'race' });
    const [def] = await deploy(rt.definitions, rt.clock, xml);
    const ids = Array.from({ length: 12 }, (_, i) => `race-${i}`);
    for (const id of ids) await applyCommand(rt.transition, { id: `start-${id}`, instanceId: id, definition: { key: 'race', version: def!.version }, command: { type: 'start', instanceId: id } });
    await new Promise((r) => setTimeout(r, 1100));
    const winners: string[] = [];
    await Promise.all(ids.map(async (id, i) => {
      const [v1] = await rt.instances.listVersions(id);
      const timerId = (v1!.effects.find((e) => e.type === 'timer.scheduled') as { timerId: string }).timerId;
      const jobId = (v1!.effects.find((e) => e.type === 'job.activatable') as { jobId: string }).jobId;
      const fire = () => applyCommand(rt.transition, { id: `timer:${timerId}`, instanceId: id, command: { type: 'fireTimer', timerId } });
      const complete = () => applyCommand(rt.transition, { id: `complete-${id}`, instanceId: id, command: { type: 'completeJob', jobId } });
      const outcomes = await Promise.all(i % 2 ? [fire(), complete()] : [complete(), fire()]);
      expect(outcomes.filter((o) => o.status === 'applied')).toHaveLength(1);
      const loser = outcomes.find((o) => o.status === 'rejected');
      expect(loser?.status === 'rejected' && loser.rejection.code).toBe('NOT_FOUND');
      const last = (await rt.instances.listVersions(id)).at(-1) as InstanceVersion;
      expect(last.version).toBe(2);
      const active = Object.values(last.state.elements).map((e) => e.elementId);
      expect(active.length).toBe(1);
      winners.push(active[0] as string);
    }));
    expect(winners.every((w) => w === 'review' || w === 'lateReview')).toBe(true);
    const rejections = quietLogger.lines.filter((l) => l.message === 'command rejected' && String(l.data?.['instanceId']).startsWith('race-'));
    expect(rejections).toHaveLength(ids.length);
  }, 60_000);
});
