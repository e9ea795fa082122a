/**
 * Every BPMN timer kind in the pure core, on the TestEngine's simulated clock
 * (engine.advance): timer start events (date, R<n>/duration, cron), intermediate
 * catch events (duration, date with a zone, FEEL), interrupting and non-interrupting
 * boundary timers, and stale fires (after a cancel, a rollback, a race) being rejected.
 */
import { describe, expect, it } from 'vitest';
import { nextStartFire, timerStartsOf } from '../../lib/core/bpmn/start-timers.ts';
import { TestEngine, bpmn, flows, job } from '../../lib/testing/index.ts';
import type { TestInstance } from '../../lib/testing/index.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 0, 1); // a Thursday
const iso = (ms: number): string => new Date(ms).toISOString();
const timerDef = (kind: 'timeDate' | 'timeCycle' | 'timeDuration', value: string) => `<timerEventDefinition><${kind}>${value}</${kind}></timerEventDefinition>`;

function startedAt(engine: TestEngine): string[] {
  return [...engine.instances.values()].map((pi) => pi.events.find((e) => e.type === 'InstanceStarted')).map((e) => iso((e as { at: number }).at));
}

function lifecycle(pi: TestInstance): string[] {
  return pi.events.flatMap((e) => (e.type === 'ElementActivated' ? [`+${e.elementId}`] : e.type === 'ElementCompleted' ? [`-${e.elementId}`] : e.type === 'ElementTerminated' ? [`x${e.elementId}`] : []));
}

async function startProcess(timer: string): Promise<TestEngine> {
  return TestEngine.deploy(bpmn(`<startEvent id="tick">${timer}</startEvent><endEvent id="end"/>${flows('tick', 'end')}`), { now: T0 });
}

describe('timer start events', () => {
  it('a date starts one instance at that date, at the timer start event', async () => {
    const engine = await startProcess(timerDef('timeDate', '2026-01-01T09:00:00Z'));
    await engine.advance(9 * HOUR - 1);
    expect(engine.instances.size).toBe(0);
    await engine.advance(10 * HOUR);
    expect(startedAt(engine)).toEqual(['2026-01-01T09:00:00.000Z']);
    const [pi] = [...engine.instances.values()];
    expect(lifecycle(pi as TestInstance)).toEqual(['+tick', '-tick', '+end', '-end']);
  });

  it('a date with a zone fires at that wall-clock time there (09:00 in Berlin is 08:00 UTC in winter)', async () => {
    const engine = await startProcess(timerDef('timeDate', '2026-01-01T09:00:00[Europe/Berlin]'));
    await engine.advance(24 * HOUR);
    expect(startedAt(engine)).toEqual(['2026-01-01T08:00:00.000Z']);
  });

  it('R5/PT10M starts five instances ten minutes apart, then stops', async () => {
    const engine = await startProcess(timerDef('timeCycle', 'R5/PT10M'));
    await engine.advance(3 * HOUR);
    expect(startedAt(engine)).toEqual([10, 20, 30, 40, 50].map((m) => iso(T0 + m * MINUTE)));
  });

  it('R/<start>/P1D starts daily from its start, without end', async () => {
    const engine = await startProcess(timerDef('timeCycle', 'R/2026-01-01T02:00:00Z/P1D'));
    await engine.advance(3 * 24 * HOUR);
    expect(startedAt(engine)).toEqual(['2026-01-01T02:00:00.000Z', '2026-01-02T02:00:00.000Z', '2026-01-03T02:00:00.000Z']);
  });

  it('a cron cycle (Camunda 8: six fields, UTC) fires on every match: weekdays at 09:00', async () => {
    const engine = await startProcess(timerDef('timeCycle', '0 0 9 * * MON-FRI'));
    await engine.advance(7 * 24 * HOUR);
    expect(startedAt(engine)).toEqual(['2026-01-01T09:00:00.000Z', '2026-01-02T09:00:00.000Z', '2026-01-05T09:00:00.000Z', '2026-01-06T09:00:00.000Z', '2026-01-07T09:00:00.000Z']);
  });

  it('a FEEL timer value is evaluated at deploy (no variables: literals and functions only)', async () => {
    const engine = await startProcess(timerDef('timeCycle', '="R2/PT" + string(15) + "M"'));
    await engine.advance(HOUR);
    expect(startedAt(engine)).toEqual([iso(T0 + 15 * MINUTE), iso(T0 + 30 * MINUTE)]);
  });

  it('plans the registry entry: first fire, fires left, and the next one after a fire', async () => {
    const engine = await startProcess(timerDef('timeCycle', 'R3/PT1H'));
    const def = engine.definition('process');
    const { starts } = timerStartsOf(def, T0);
    expect(starts).toEqual([{ startEventId: 'tick', kind: 'cycle', value: 'R3/PT1H', nextDueAt: T0 + HOUR, remaining: 2, anchor: T0 }]);
    const second = nextStartFire(starts[0]!, T0 + HOUR);
    expect(second).toEqual({ dueAt: T0 + 2 * HOUR, remaining: 1 });
    expect(nextStartFire({ ...starts[0]!, remaining: 0 }, T0 + 3 * HOUR)).toBeNull();
    expect(nextStartFire({ kind: 'date', value: '2026-01-01T09:00:00Z', anchor: T0, remaining: null }, T0)).toBeNull();
  });
});

describe('intermediate timer catch events', () => {
  const waiting = (timer: string) => bpmn(`<startEvent id="start"/><intermediateCatchEvent id="wait">${timer}</intermediateCatchEvent><endEvent id="end"/>${flows('start', 'wait', 'end')}`);

  it.each([
    ['a duration', timerDef('timeDuration', 'PT90M'), {}, T0 + 90 * MINUTE],
    ['a date with an offset', timerDef('timeDate', '2026-01-01T12:00:00+02:00'), {}, Date.UTC(2026, 0, 1, 10)],
    ['a date with @zone', timerDef('timeDate', '2026-07-01T12:00:00@America/New_York'), {}, Date.UTC(2026, 6, 1, 16)],
    ['a FEEL duration from variables', timerDef('timeDuration', '="PT" + string(minutes) + "M"'), { minutes: 45 }, T0 + 45 * MINUTE],
    ['a FEEL date from variables', timerDef('timeDate', '=deadline'), { deadline: '2026-01-03T00:00:00Z' }, Date.UTC(2026, 0, 3)],
  ])('waits for %s and continues exactly then', async (_name, timer, variables, due) => {
    const engine = await TestEngine.deploy(waiting(timer), { now: T0, roundTrip: true });
    const pi = await engine.start('process', variables);
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'timer.scheduled', dueAt: due }));
    await engine.advance(due - T0 - 1);
    expect(pi.activeElements()).toEqual(['wait']);
    await engine.advance(1);
    expect(pi.status).toBe('completed');
  });

  it('a timer is canceled with its instance, and its late fire is rejected (the instance has ended)', async () => {
    const engine = await TestEngine.deploy(bpmn(`
      <startEvent id="start"/>
      <subProcess id="sub"><startEvent id="s1"/><intermediateCatchEvent id="wait">${timerDef('timeDuration', 'PT1H')}</intermediateCatchEvent><endEvent id="e1"/>${flows('s1', 'wait', 'e1')}</subProcess>
      <endEvent id="end"/>${flows('start', 'sub', 'end')}`), { now: T0 });
    const pi = await engine.start('process');
    const timerId = `${pi.id}.${Object.keys(pi.state.timers)[0]}`;
    await pi.cancel();
    expect(pi.effects).toContainEqual({ type: 'timer.canceled', timerId, instanceId: pi.id, dueAt: T0 + HOUR });
    engine.now += 2 * HOUR;
    expect((await pi.send({ type: 'fireTimer', timerId })).rejection?.code).toBe('INVALID_STATE');
  });
});

describe('timer boundary events', () => {
  const withBoundary = (timer: string, interrupting: boolean, then = '') => bpmn(`
    <startEvent id="start"/><serviceTask id="work">${job('work')}</serviceTask>${then}<endEvent id="end"/>
    <boundaryEvent id="b" attachedToRef="work" cancelActivity="${interrupting}">${timer}</boundaryEvent>${then ? '<userTask id="lateReview"/>' : ''}<endEvent id="late"/>
    ${then ? `${flows('start', 'work', 'review', 'end')}${flows('b', 'lateReview', 'late')}` : `${flows('start', 'work', 'end')}${flows('b', 'late')}`}`);

  it('an interrupting duration terminates the activity when it fires', async () => {
    const engine = await TestEngine.deploy(withBoundary(timerDef('timeDuration', 'P2D'), true), { now: T0 });
    const pi = await engine.start('process');
    await engine.advance(2 * 24 * HOUR);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', 'xwork', '+b', '-b', '+late', '-late']);
  });

  it('an interrupting date fires at the date', async () => {
    const engine = await TestEngine.deploy(withBoundary(timerDef('timeDate', '2026-01-01T10:00:00Z'), true), { now: T0 });
    const pi = await engine.start('process');
    await engine.advance(10 * HOUR - 1);
    expect(pi.activeElements()).toEqual(['work']);
    await engine.advance(1);
    expect(pi.status).toBe('completed');
  });

  it('a non-interrupting R/PT10M fires every ten minutes while the activity runs, and stops when it completes', async () => {
    const engine = await TestEngine.deploy(withBoundary(timerDef('timeCycle', 'R/PT10M'), false), { now: T0, roundTrip: true });
    const pi = await engine.start('process');
    await engine.advance(35 * MINUTE);
    expect(lifecycle(pi).filter((e) => e === '+b')).toHaveLength(3);
    expect(pi.activeElements()).toEqual(['work']);
    await pi.completeJob('work');
    expect(pi.effects.at(-1)).toBeDefined();
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'timer.canceled', dueAt: T0 + 40 * MINUTE }));
    await engine.advance(HOUR);
    expect(lifecycle(pi).filter((e) => e === '+b')).toHaveLength(3);
    expect(pi.status).toBe('completed');
  });

  it('a non-interrupting cron cycle fires on each match while the activity runs', async () => {
    const engine = await TestEngine.deploy(withBoundary(timerDef('timeCycle', '0 0 * * * *'), false), { now: T0 + 30 * MINUTE });
    const pi = await engine.start('process');
    await engine.advance(3 * HOUR);
    const fired = pi.events.filter((e) => e.type === 'TimerFired').length;
    expect(fired).toBe(3);
  });

  it('a boundary timer racing a job completion: whichever comes first wins, the other is rejected', async () => {
    for (const first of ['timer', 'job'] as const) {
      // Both paths wait in a user task afterwards, so the loser meets a live instance.
      const engine = await TestEngine.deploy(withBoundary(timerDef('timeDuration', 'PT5M'), true, '<userTask id="review"/>'), { now: T0 });
      const pi = await engine.start('process');
      const timerId = `${pi.id}.${Object.keys(pi.state.timers)[0]}`;
      const jobId = pi.jobs('work')[0]!.jobId;
      engine.now = T0 + 5 * MINUTE;
      const fire = () => pi.send({ type: 'fireTimer', timerId });
      const complete = () => pi.send({ type: 'completeJob', jobId });
      const [winner, loser] = first === 'timer' ? [await fire(), await complete()] : [await complete(), await fire()];
      expect(winner.rejection).toBeUndefined();
      expect(loser.rejection?.code).toBe('NOT_FOUND');
      expect(pi.activeElements()).toEqual([first === 'timer' ? 'lateReview' : 'review']);
    }
  });

  it('after a rollback the timer is scheduled again under a new id: the old id no longer fires', async () => {
    const engine = await TestEngine.deploy(withBoundary(timerDef('timeDuration', 'PT5M'), true), { now: T0 });
    const pi = await engine.start('process');
    const oldTimerId = `${pi.id}.${Object.keys(pi.state.timers)[0]}`;
    await pi.completeJob('work');
    engine.now = T0 + MINUTE;
    const rolled = await pi.rollback(1);
    expect(rolled.effects).toContainEqual(expect.objectContaining({ type: 'timer.scheduled', dueAt: T0 + 5 * MINUTE }));
    engine.now = T0 + 5 * MINUTE;
    expect((await pi.send({ type: 'fireTimer', timerId: oldTimerId })).rejection?.code).toBe('NOT_FOUND');
    const newTimerId = (rolled.effects.find((e) => e.type === 'timer.scheduled') as { timerId: string }).timerId;
    expect((await pi.send({ type: 'fireTimer', timerId: newTimerId })).rejection).toBeUndefined();
    expect(pi.completedElements()).toContain('late');
  });
});

describe('timers after an event-based gateway', () => {
  it('the earlier of a timer and a message wins; the message subscription is closed', async () => {
    const engine = await TestEngine.deploy(bpmn(`
      <startEvent id="start"/><eventBasedGateway id="gw"/>
      <intermediateCatchEvent id="timeout">${timerDef('timeDuration', 'PT1H')}</intermediateCatchEvent>
      <intermediateCatchEvent id="paid"><messageEventDefinition messageRef="m"/></intermediateCatchEvent>
      <endEvent id="e1"/><endEvent id="e2"/>
      ${flows('start', 'gw')}${flows('gw', 'timeout', 'e1')}${flows('gw', 'paid', 'e2')}`, {
      rootElements: '<message id="m" name="paid"><extensionElements><zeebe:subscription correlationKey="=orderId"/></extensionElements></message>',
    }), { now: T0 });
    const pi = await engine.start('process', { orderId: 'o1' });
    await engine.advance(HOUR);
    expect(pi.completedElements()).toContain('e1');
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'subscription.closed' }));
  });
});

describe('timers in event subprocesses', () => {
  const withEventSubprocess = (timer: string, interrupting: boolean) => bpmn(`
    <startEvent id="start"/><serviceTask id="work">${job('work')}</serviceTask><endEvent id="end"/>${flows('start', 'work', 'end')}
    <subProcess id="esp" triggeredByEvent="true">
      <startEvent id="espStart" isInterrupting="${interrupting}">${timer}</startEvent><endEvent id="espEnd"/>${flows('espStart', 'espEnd')}
    </subProcess>`);

  it('an interrupting timer start ends what runs in the scope and runs the event subprocess', async () => {
    const engine = await TestEngine.deploy(withEventSubprocess(timerDef('timeDuration', 'PT30M'), true), { now: T0 });
    const pi = await engine.start('process');
    await engine.advance(30 * MINUTE);
    expect(lifecycle(pi)).toEqual(expect.arrayContaining(['xwork', '+espStart', '-espEnd']));
    expect(pi.status).toBe('completed');
  });

  it('a non-interrupting cycle runs the event subprocess on every fire while the process runs, and stops with it', async () => {
    const engine = await TestEngine.deploy(withEventSubprocess(timerDef('timeCycle', 'R/PT10M'), false), { now: T0, roundTrip: true });
    const pi = await engine.start('process');
    await engine.advance(35 * MINUTE);
    expect(lifecycle(pi).filter((e) => e === '-espEnd')).toHaveLength(3);
    expect(pi.activeElements()).toEqual(['work']);
    await pi.completeJob('work');
    expect(pi.status).toBe('completed');
    expect(pi.state.timers).toEqual({});
  });
});
