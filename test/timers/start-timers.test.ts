/**
 * Timer start events on the emulators: a deploy registers them and schedules their first
 * fire; a fire starts one instance (deterministic id: a duplicate delivery starts nothing)
 * at the timer start event and schedules the next occurrence of a cycle; deploying a new
 * version cancels the previous version's pending fire, and a late one is ignored.
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketOf, timersPks } from '../../lib/adapters/scheduler/dynamodb.ts';
import { deployDefinitions } from '../../lib/app/service/definitions.ts';
import { processTimerBatch, startTimerId, timerStartInstanceId } from '../../lib/app/timers.ts';
import { applyCommand } from '../../lib/app/transition.ts';
import type { TimerStartRef } from '../../lib/ports.ts';
import { bpmn, flows } from '../../lib/testing/index.ts';
import { quietLogger, testRuntime, type TestRuntime } from '../integration/runtime.ts';
import { manualClock, record, recordingBus } from './helpers.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const clock = manualClock(T0);
const timerStart = (timer: string, end = 'end') => bpmn(`<startEvent id="tick"><timerEventDefinition>${timer}</timerEventDefinition></startEvent><endEvent id="${end}"/>${flows('tick', end)}`, { id: 'report' });

let rt: TestRuntime;
beforeAll(async () => {
  rt = await testRuntime({ clock });
});

async function durableItems(dueAt: number): Promise<number> {
  let count = 0;
  for (const pk of timersPks(bucketOf(dueAt))) {
    const out = await rt.dynamodb.send(new QueryCommand({ TableName: rt.config.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: marshall({ ':pk': pk }) }));
    count += out.Items?.length ?? 0;
  }
  return count;
}

const fireMessage = (ref: TimerStartRef, dueAt: number) => record({ timerId: startTimerId(ref, dueAt), instanceId: timerStartInstanceId(ref, dueAt), dueAt, start: ref });

describe('timer start events', () => {
  it('are registered and scheduled on deploy, start one instance per fire, and are replaced by a new version', async () => {
    const deps = rt.service;
    const [v1] = await deployDefinitions(deps, timerStart('<timeCycle>R3/PT1H</timeCycle>'));
    expect(await rt.timerStarts.list('report')).toEqual([expect.objectContaining({ version: v1!.version, startEventId: 'tick', nextDueAt: T0 + HOUR, remaining: 2 })]);
    expect(await durableItems(T0 + HOUR)).toBe(1);
    // Deploying the same XML again schedules nothing new.
    await deployDefinitions(deps, timerStart('<timeCycle>R3/PT1H</timeCycle>'));
    expect(await durableItems(T0 + HOUR)).toBe(1);

    // The first fire, delivered twice (at-least-once): one start command, one next fire.
    const ref = { definitionKey: 'report', version: v1!.version, startEventId: 'tick' };
    clock.t = T0 + HOUR;
    const commands = recordingBus();
    await processTimerBatch({ ...rt, commands }, [fireMessage(ref, T0 + HOUR)]);
    await processTimerBatch({ ...rt, commands }, [fireMessage(ref, T0 + HOUR)]);
    expect(commands.sent).toEqual([{
      id: `timer:${startTimerId(ref, T0 + HOUR)}`, instanceId: timerStartInstanceId(ref, T0 + HOUR), definition: { key: 'report', version: v1!.version },
      command: { type: 'start', instanceId: timerStartInstanceId(ref, T0 + HOUR), startEventId: 'tick', variables: {} },
    }]);
    expect(quietLogger.lines).toContainEqual(expect.objectContaining({ message: 'timer start ignored: this fire was already taken' }));
    expect(await rt.timerStarts.get('report', 'tick')).toMatchObject({ nextDueAt: T0 + 2 * HOUR, remaining: 1 });
    expect(await durableItems(T0 + 2 * HOUR)).toBe(1);

    // The start command makes an instance that began at the timer start event; a re-sent one is a duplicate.
    const envelope = commands.sent[0]!;
    expect(await applyCommand(rt.transition, envelope)).toMatchObject({ status: 'applied' });
    expect(await applyCommand(rt.transition, envelope)).toMatchObject({ status: 'duplicate' });
    const [started] = await rt.instances.listVersions(envelope.instanceId);
    expect(started?.events).toContainEqual(expect.objectContaining({ type: 'InstanceStarted', startEventId: 'tick' }));
    expect((await rt.instances.getHead(envelope.instanceId))?.status).toBe('completed');

    // Version 2 replaces version 1: its pending fire is deleted, a late one is ignored.
    const [v2] = await deployDefinitions(deps, timerStart('<timeDate>2026-01-03T00:00:00Z</timeDate>', 'done'));
    expect(v2!.version).toBe(v1!.version + 1);
    expect(await durableItems(T0 + 2 * HOUR)).toBe(0);
    expect(await rt.timerStarts.list('report')).toEqual([expect.objectContaining({ version: v2!.version, kind: 'date', nextDueAt: Date.UTC(2026, 0, 3) })]);
    clock.t = T0 + 2 * HOUR;
    const late = recordingBus();
    await processTimerBatch({ ...rt, commands: late }, [fireMessage(ref, T0 + 2 * HOUR)]);
    expect(late.sent).toEqual([]);
    expect(quietLogger.lines).toContainEqual(expect.objectContaining({ message: 'timer start ignored: its definition version was replaced' }));

    // The date fires once and has no next occurrence.
    const ref2 = { ...ref, version: v2!.version };
    clock.t = Date.UTC(2026, 0, 3);
    const last = recordingBus();
    await processTimerBatch({ ...rt, commands: last }, [fireMessage(ref2, Date.UTC(2026, 0, 3))]);
    expect(last.sent).toHaveLength(1);
    expect(await rt.timerStarts.get('report', 'tick')).toMatchObject({ nextDueAt: null });
  });

  it('a start timer delivered early is delayed again, not fired', async () => {
    const ref = { definitionKey: 'report', version: 99, startEventId: 'tick' };
    clock.t = Date.UTC(2026, 0, 4);
    const commands = recordingBus();
    await processTimerBatch({ ...rt, commands }, [fireMessage(ref, clock.t + 3 * HOUR)]);
    expect(commands.sent).toEqual([]);
    expect(await durableItems(clock.t + 3 * HOUR)).toBe(1);
  });
});
