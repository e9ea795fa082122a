/**
 * EventBridgeDurableTimers makes its Scheduler client on the first request, so a cold
 * start that schedules no long timer never loads `@aws-sdk/client-scheduler`.
 */
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import { EventBridgeDurableTimers } from '../../lib/adapters/scheduler/eventbridge.ts';
import type { ScheduledTimer } from '../../lib/ports.ts';
import { manualClock } from './helpers.ts';

const HOUR = 3_600_000;

function harness(failures = 0) {
  const clock = manualClock(Date.UTC(2026, 0, 1));
  const sent: string[] = [];
  const handedOff: ScheduledTimer[] = [];
  let made = 0;
  let toFail = failures;
  const client = { send: async (command: object) => { sent.push(command.constructor.name); return {}; } } as unknown as SchedulerClient;
  const factory = async (): Promise<SchedulerClient> => {
    made += 1;
    if (toFail-- > 0) throw new Error('no client');
    return client;
  };
  const timers = new EventBridgeDurableTimers(factory, { groupName: 'g', targetArn: 'arn:queue', roleArn: 'arn:role', clock, handOff: { scheduleMany: async (t) => { handedOff.push(...t); } } });
  return { timers, clock, sent, handedOff, made: () => made };
}

describe('EventBridge Scheduler client', () => {
  it('is made on the first schedule, once, and reused for cancels', async () => {
    const h = harness();
    expect(h.made()).toBe(0);
    await h.timers.schedule({ timerId: 'pi-1.1', instanceId: 'pi-1', dueAt: h.clock.t + 2 * HOUR });
    await h.timers.cancel({ timerId: 'pi-1.1' });
    await h.timers.schedule({ timerId: 'pi-1.2', instanceId: 'pi-1', dueAt: h.clock.t + 3 * HOUR });
    expect(h.made()).toBe(1);
    expect(h.sent).toEqual(['CreateScheduleCommand', 'DeleteScheduleCommand', 'CreateScheduleCommand']);
  });

  it('is not made for a timer the SQS delay covers', async () => {
    const h = harness();
    await h.timers.schedule({ timerId: 'pi-2.1', instanceId: 'pi-2', dueAt: h.clock.t + 60_000 });
    expect(h.made()).toBe(0);
    expect(h.handedOff.map((t) => t.timerId)).toEqual(['pi-2.1']);
  });

  it('is made again on the next request when making it failed', async () => {
    const h = harness(1);
    await expect(h.timers.cancel({ timerId: 'pi-3.1' })).rejects.toThrow('no client');
    await h.timers.cancel({ timerId: 'pi-3.1' });
    expect(h.made()).toBe(2);
    expect(h.sent).toEqual(['DeleteScheduleCommand']);
  });
});
