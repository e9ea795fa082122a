/**
 * The durable schedule's contract, run against every implementation on the emulators:
 * due-time items in DynamoDB (DynamoDB Local) swept into the SQS timers queue (fauxqs),
 * and EventBridge Scheduler one-time schedules (the real adapter and SDK against a
 * small fake of the Scheduler HTTP API, test/timers/fake-scheduler.ts) delivering to the
 * same queue, and the memory schedule (lib/adapters/memory) handing to that queue too.
 * `tick(now)` is what time does: a sweep, or the service firing schedules.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDurableTimers } from '../../lib/adapters/memory/durable-timers.ts';
import { DynamoDurableTimers } from '../../lib/adapters/scheduler/dynamodb.ts';
import { EventBridgeDurableTimers, atExpression, scheduleName } from '../../lib/adapters/scheduler/eventbridge.ts';
import { SqsTimerScheduler } from '../../lib/adapters/sqs/timers.ts';
import type { DurableTimers } from '../../lib/ports.ts';
import { testRuntime, type TestRuntime } from '../integration/runtime.ts';
import { FakeScheduler } from './fake-scheduler.ts';
import { delayedCount, drain, manualClock } from './helpers.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Harness {
  timers: DurableTimers;
  clock: { t: number; now(): number };
  queueUrl: string;
  tick(now: number): Promise<void>;
}

let rt: TestRuntime;
/** Time only moves forward across cases: the sweep cursor of the shared table is never ahead of a new clock. */
let latest = Date.UTC(2026, 0, 1);
const forwardClock = () => {
  const clock = manualClock(latest);
  return { clock, advance: (now: number) => { clock.t = now; latest = Math.max(latest, now); } };
};
let fake: FakeScheduler;
let timersArn = '';

beforeAll(async () => {
  rt = await testRuntime();
  const attrs = await rt.sqs.send(new GetQueueAttributesCommand({ QueueUrl: rt.queues.timers, AttributeNames: ['QueueArn'] }));
  timersArn = attrs.Attributes?.['QueueArn'] ?? '';
  fake = await new FakeScheduler(rt.sqs, (arn) => (arn === timersArn ? rt.queues.timers : 'unknown-queue')).start();
});
afterAll(async () => {
  await fake?.stop();
});

const implementations: Array<[string, () => Harness]> = [
  ['DynamoDB due-time items + sweep', () => {
    const { clock, advance } = forwardClock();
    const handOff = new SqsTimerScheduler(rt.sqs, rt.queues.timers, clock);
    const timers = new DynamoDurableTimers(rt.dynamodb, { tableName: rt.config.tableName, handOff, clock });
    return { timers, clock, queueUrl: rt.queues.timers, tick: async (now) => { advance(now); await timers.sweep(now); } };
  }],
  ['memory schedule + sweep (lib/adapters/memory)', () => {
    const { clock, advance } = forwardClock();
    const handOff = new SqsTimerScheduler(rt.sqs, rt.queues.timers, clock);
    const timers = new MemoryDurableTimers({ handOff, clock });
    return { timers, clock, queueUrl: rt.queues.timers, tick: async (now) => { advance(now); await timers.sweep(now); } };
  }],
  ['EventBridge Scheduler (fake HTTP API)', () => {
    const { clock, advance } = forwardClock();
    const handOff = new SqsTimerScheduler(rt.sqs, rt.queues.timers, clock);
    const client = new SchedulerClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const timers = new EventBridgeDurableTimers(client, { groupName: 'sbpmn-timers', targetArn: timersArn, roleArn: 'arn:aws:iam::000000000000:role/scheduler', clock, handOff });
    return { timers, clock, queueUrl: rt.queues.timers, tick: async (now) => { advance(now); await fake.deliver(now); } };
  }],
];

describe.each(implementations)('durable timers: %s', (_name, harness) => {
  it('holds a long timer until shortly before it is due, then hands it to the timers queue', async () => {
    const h = harness();
    const dueAt = h.clock.t + 2 * HOUR;
    await h.timers.schedule({ timerId: 'pi-a.7', instanceId: 'pi-a', dueAt });
    await h.tick(h.clock.t + HOUR);
    await h.tick(dueAt - 16 * MINUTE);
    expect(await drain(rt.sqs, h.queueUrl, 0)).toEqual([]);
    await h.tick(dueAt - 1000);
    expect(await drain(rt.sqs, h.queueUrl, 3)).toEqual([{ timerId: 'pi-a.7', instanceId: 'pi-a', dueAt }]);
    await h.tick(dueAt + MINUTE);
    expect(await drain(rt.sqs, h.queueUrl, 0)).toEqual([]);
  });

  it('never delivers a canceled timer (and a second cancel is no error)', async () => {
    const h = harness();
    const dueAt = h.clock.t + 45 * MINUTE;
    await h.timers.schedule({ timerId: 'pi-b.3', instanceId: 'pi-b', dueAt });
    await h.timers.cancel({ timerId: 'pi-b.3', instanceId: 'pi-b', dueAt });
    await h.timers.cancel({ timerId: 'pi-b.3', instanceId: 'pi-b', dueAt });
    await h.tick(dueAt + MINUTE);
    expect(await drain(rt.sqs, h.queueUrl, 1)).toEqual([]);
  });

  it('delivers a timer scheduled twice (a re-emitted effect) once', async () => {
    const h = harness();
    const dueAt = h.clock.t + 50 * MINUTE;
    const timer = { timerId: 'pi-c.9', instanceId: 'pi-c', dueAt };
    await h.timers.schedule(timer);
    await h.timers.schedule(timer);
    await h.tick(dueAt - 1000);
    expect(await drain(rt.sqs, h.queueUrl, 3)).toEqual([timer]);
  });

  it('carries a timer start event reference through', async () => {
    const h = harness();
    const dueAt = h.clock.t + 40 * MINUTE;
    const start = { definitionKey: 'nightly', version: 2, startEventId: 'tick' };
    await h.timers.schedule({ timerId: 'start:nightly:2:tick:1', instanceId: 't-x', dueAt, start });
    await h.tick(dueAt - 1000);
    expect(await drain(rt.sqs, h.queueUrl, 3)).toEqual([{ timerId: 'start:nightly:2:tick:1', instanceId: 't-x', dueAt, start }]);
  });

  it('puts a timer due within its lead straight on the SQS delay queue', async () => {
    const h = harness();
    const before = await delayedCount(rt.sqs, h.queueUrl);
    await h.timers.schedule({ timerId: 'pi-d.1', instanceId: 'pi-d', dueAt: h.clock.t + 120_000 });
    expect(await delayedCount(rt.sqs, h.queueUrl)).toBe(before + 1);
  });
});

describe('EventBridge Scheduler requests', () => {
  it('builds a one-time, self-deleting schedule on the timers queue, a lead before the due time', () => {
    const clock = manualClock(Date.UTC(2026, 0, 1));
    const timers = new EventBridgeDurableTimers({} as SchedulerClient, { groupName: 'g', targetArn: 'arn:queue', roleArn: 'arn:role', deadLetterArn: 'arn:dlq', clock, handOff: { scheduleMany: async () => undefined } });
    const dueAt = Date.UTC(2026, 0, 31, 9, 0, 0, 500);
    const request = timers.request({ timerId: 'pi-1.4', instanceId: 'pi-1', dueAt });
    expect(request).toEqual({
      Name: scheduleName('pi-1.4'), GroupName: 'g', ScheduleExpression: 'at(2026-01-31T08:55:01)', ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' }, ActionAfterCompletion: 'DELETE', Description: 'timer pi-1.4',
      Target: {
        Arn: 'arn:queue', RoleArn: 'arn:role', Input: JSON.stringify({ timerId: 'pi-1.4', instanceId: 'pi-1', dueAt }),
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 }, DeadLetterConfig: { Arn: 'arn:dlq' },
      },
    });
    expect(scheduleName('pi-1.4')).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
    expect(scheduleName('x'.repeat(300))).toHaveLength(45);
    expect(atExpression(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe('at(2026-01-01T00:00:00)');
  });

  it('sent the fake exactly CreateSchedule and DeleteSchedule calls', () => {
    expect(new Set(fake.requests.map((r) => r.method))).toEqual(new Set(['POST', 'DELETE']));
  });
});
