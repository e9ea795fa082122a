/**
 * 10,000 parked timers with due times spread over an hour of SIMULATED time, on DynamoDB
 * Local: put in batches, swept once a simulated minute, each handed to the SQS delay
 * queue exactly once, no later than 15 minutes before it is due, and then turned into
 * exactly one fireTimer command each. 100 are canceled first and never fire.
 * The SQS hop itself is recorded here (its real delays are covered by delays.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDurableTimers } from '../../lib/adapters/scheduler/dynamodb.ts';
import { delaySeconds } from '../../lib/adapters/sqs/timers.ts';
import { processTimerBatch } from '../../lib/app/timers.ts';
import type { ScheduledTimer } from '../../lib/ports.ts';
import { quietLogger, testRuntime, type TestRuntime } from '../integration/runtime.ts';
import { manualClock, percentile, record, recordingBus, recordingHandOff } from './helpers.ts';

const MINUTE = 60_000;
const COUNT = 10_000;
const T0 = Date.UTC(2026, 0, 1);

let rt: TestRuntime;
beforeAll(async () => {
  rt = await testRuntime();
});

describe('the DynamoDB durable schedule at scale', () => {
  it('fires 10,000 timers spread over an hour exactly once each, none early, none canceled', async () => {
    const clock = manualClock(T0);
    const handOff = recordingHandOff(clock);
    const timers = new DynamoDurableTimers(rt.dynamodb, { tableName: rt.config.tableName, handOff, clock, meter: rt.dynamoMeter });
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const parked: ScheduledTimer[] = Array.from({ length: COUNT }, (_, i) => ({ timerId: `pi${i}.3`, instanceId: `pi${i}`, dueAt: T0 + 20 * MINUTE + Math.floor(random() * 60 * MINUTE) }));
    rt.dynamoMeter.reset();
    const started = Date.now();
    await timers.scheduleMany(parked);
    const canceled = parked.slice(0, 100);
    await Promise.all(canceled.map((t) => timers.cancel(t)));
    const writes = { ...rt.dynamoMeter.requests };

    for (let now = T0; now <= T0 + 90 * MINUTE; now += MINUTE) {
      clock.t = now;
      await timers.sweep(now);
    }
    const sweepRequests = { ...rt.dynamoMeter.requests };

    // Every timer handed off once, at most 15 minutes (the SQS limit) and at least 1 s before it is due.
    const byId = new Map<string, Array<{ timer: ScheduledTimer; at: number }>>();
    for (const h of handOff.handed) byId.set(h.timer.timerId, [...(byId.get(h.timer.timerId) ?? []), h]);
    expect(byId.size).toBe(COUNT - canceled.length);
    expect([...byId.values()].filter((list) => list.length !== 1)).toEqual([]);
    for (const t of canceled) expect(byId.has(t.timerId)).toBe(false);
    const lateness: number[] = [];
    for (const { timer, at } of handOff.handed) {
      expect(timer.dueAt - at).toBeLessThanOrEqual(15 * MINUTE);
      expect(timer.dueAt - at).toBeGreaterThan(0);
      lateness.push(at + delaySeconds(timer.dueAt, at) * 1000 - timer.dueAt); // when the SQS delay ends
    }

    // The timers handler turns each arrival into one fireTimer command with a deterministic id.
    const commands = recordingBus();
    for (const { timer, at } of handOff.handed) {
      clock.t = at + delaySeconds(timer.dueAt, at) * 1000;
      await processTimerBatch({ commands, timers: handOff, clock, logger: quietLogger }, [record(timer)]);
    }
    const fired = new Set(commands.sent.map((c) => c.id));
    expect(commands.sent).toHaveLength(COUNT - canceled.length);
    expect(fired.size).toBe(COUNT - canceled.length);
    expect(commands.sent.every((c) => c.command.type === 'fireTimer')).toBe(true);

    lateness.sort((a, b) => a - b);
    const report = {
      timers: COUNT, canceled: canceled.length, wallMs: Date.now() - started, schedulingRequests: writes, allRequests: sweepRequests,
      simulatedLatenessMs: { p50: percentile(lateness, 50), p99: percentile(lateness, 99), max: lateness.at(-1) },
    };
    console.log(`[timers scale] ${JSON.stringify(report)}`);
    expect(writes['BatchWriteItem']).toBeLessThanOrEqual(Math.ceil(COUNT / 25) + 5);
    expect(lateness.at(-1)).toBeLessThan(1000);
  }, 240_000);
});
