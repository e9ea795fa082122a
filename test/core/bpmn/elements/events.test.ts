import { describe, expect, it } from 'vitest';
import { flow, flows, job, message } from '../../../../lib/testing/index.ts';
import { TestEngine, bpmn } from '../../../../lib/testing/index.ts';
import { lifecycle, run, trace } from '../../helpers.ts';

const MINUTE = 60_000;
const paid = message('m', 'paid', '=orderId');

describe('start events', () => {
  it('a none start event starts the instance with its variables', async () => {
    const { pi } = await run(`<startEvent id="start"/><endEvent id="end"/>${flows('start', 'end')}`, { a: 1 });
    expect(trace(pi)).toEqual(['InstanceStarted', 'VariablesSet', 'ElementActivated:start', 'ElementCompleted:start', 'FlowTaken', 'ElementActivated:end', 'ElementCompleted:end', 'InstanceCompleted']);
    expect(pi.variables).toEqual({ a: 1 });
  });

  it('a message start event starts the instance with the message variables', async () => {
    const engine = await TestEngine.deploy(bpmn(`
      <startEvent id="byMessage"><messageEventDefinition messageRef="m"/></startEvent>
      <endEvent id="end"/>${flows('byMessage', 'end')}`, { rootElements: message('m', 'order-placed') }));
    const pi = await engine.start('process', { orderId: 'o-1' }, { startEventId: 'byMessage' });
    expect(pi.status).toBe('completed');
    expect(pi.variables).toEqual({ orderId: 'o-1' });
    await expect(engine.start('process')).rejects.toThrow(/no none start event/);
  });

  it('a timer start event starts the instance when its schedule fires', async () => {
    const engine = await TestEngine.deploy(bpmn(`
      <startEvent id="nightly"><timerEventDefinition><timeCycle>R/2026-01-01T02:00:00Z/P1D</timeCycle></timerEventDefinition></startEvent>
      <endEvent id="end"/>${flows('nightly', 'end')}`));
    const pi = await engine.start('process', {}, { startEventId: 'nightly' });
    expect(lifecycle(pi)).toEqual(['+nightly', '-nightly', '+end', '-end']);
  });
});

describe('end events', () => {
  it('a terminate end event ends every other token of its scope', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><parallelGateway id="fork"/>
      <serviceTask id="slow">${job('slow')}</serviceTask>
      <endEvent id="kill"><terminateEventDefinition/></endEvent>
      ${flows('start', 'fork')}${flow('fork', 'slow')}${flow('fork', 'kill')}
      <endEvent id="end"/>${flows('slow', 'end')}`);
    expect(pi.status).toBe('completed');
    expect(lifecycle(pi)).toContain('xslow');
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'job.closed', reason: 'canceled' }));
    expect(pi.state.jobs).toEqual({});
  });

  it('a terminate end event inside a subprocess ends only the subprocess, which completes', async () => {
    const { pi } = await run(`
      <startEvent id="start"/>
      <subProcess id="sub">
        <startEvent id="s1"/><parallelGateway id="fork"/>
        <userTask id="waiting"/><endEvent id="kill"><terminateEventDefinition/></endEvent>
        ${flows('s1', 'fork')}${flow('fork', 'waiting')}${flow('fork', 'kill')}
      </subProcess>
      <serviceTask id="after">${job('after')}</serviceTask><endEvent id="end"/>
      ${flows('start', 'sub', 'after', 'end')}`);
    expect(pi.activeElements()).toEqual(['after']);
    expect(lifecycle(pi)).toEqual(expect.arrayContaining(['xwaiting', '-sub']));
  });

  it('an error end event is caught by the error boundary of its subprocess', async () => {
    const { pi } = await run(`
      <startEvent id="start"/>
      <subProcess id="sub"><startEvent id="s1"/><endEvent id="fail"><errorEventDefinition errorRef="e"/></endEvent>${flows('s1', 'fail')}</subProcess>
      <boundaryEvent id="caught" attachedToRef="sub"><errorEventDefinition errorRef="e"/></boundaryEvent>
      <endEvent id="normal"/><endEvent id="handled"/>
      ${flows('start', 'sub', 'normal')}${flows('caught', 'handled')}`, {}, '<error id="e" errorCode="NO_STOCK"/>');
    expect(pi.status).toBe('completed');
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+sub', '+s1', '-s1', '+fail', 'xfail', 'xsub', '+caught', '-caught', '+handled', '-handled']);
    expect(pi.events).toContainEqual(expect.objectContaining({ type: 'ErrorThrown', errorCode: 'NO_STOCK', caughtBy: 'caught' }));
  });

  it('an uncaught error end event raises an incident', async () => {
    const { pi } = await run(`<startEvent id="start"/><endEvent id="fail"><errorEventDefinition errorRef="e"/></endEvent>${flows('start', 'fail')}`, {}, '<error id="e" errorCode="BOOM"/>');
    expect(pi.status).toBe('active');
    expect(pi.incidents()).toEqual([expect.objectContaining({ kind: 'unhandledError', elementId: 'fail', message: expect.stringContaining('BOOM') })]);
  });
});

describe('timer catch events', () => {
  it('waits for a duration, then continues', async () => {
    const { engine, pi } = await run(`
      <startEvent id="start"/><intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT10M</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <endEvent id="end"/>${flows('start', 'wait', 'end')}`);
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'timer.scheduled', dueAt: engine.now + 10 * MINUTE }));
    await engine.advance(9 * MINUTE);
    expect(pi.activeElements()).toEqual(['wait']);
    await engine.advance(MINUTE);
    expect(pi.status).toBe('completed');
  });

  it('waits until a date, from a FEEL expression', async () => {
    const { engine, pi } = await run(`
      <startEvent id="start"/><intermediateCatchEvent id="wait"><timerEventDefinition><timeDate>=deadline</timeDate></timerEventDefinition></intermediateCatchEvent>
      <endEvent id="end"/>${flows('start', 'wait', 'end')}`, { deadline: '2026-01-02T00:00:00Z' });
    expect(pi.state.timers[Object.keys(pi.state.timers)[0] ?? '']?.dueAt).toBe(Date.UTC(2026, 0, 2));
    await engine.advance(24 * 60 * MINUTE);
    expect(pi.status).toBe('completed');
  });

  it('refuses to fire a timer before it is due', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <endEvent id="end"/>${flows('start', 'wait', 'end')}`);
    const timerId = `${pi.id}.${Object.keys(pi.state.timers)[0]}`;
    expect((await pi.send({ type: 'fireTimer', timerId })).rejection?.code).toBe('NOT_DUE');
  });
});

describe('message catch events', () => {
  it('subscribes with the evaluated correlation key and continues on the message', async () => {
    const { engine, pi } = await run(`
      <startEvent id="start"/><intermediateCatchEvent id="wait"><messageEventDefinition messageRef="m"/></intermediateCatchEvent>
      <endEvent id="end"/>${flows('start', 'wait', 'end')}`, { orderId: 42 }, paid);
    expect(pi.state.subscriptions).toEqual({ '3': expect.objectContaining({ messageName: 'paid', correlationKey: '42' }) });
    expect(await engine.publish('paid', '41')).toBe(0);
    expect(await engine.publish('paid', '42', { amount: 5 })).toBe(1);
    expect(pi.status).toBe('completed');
    expect(pi.variables['amount']).toBe(5);
  });
});

describe('boundary events', () => {
  const withBoundary = (boundary: string, interrupting = true) => `
    <startEvent id="start"/><serviceTask id="work">${job('work')}</serviceTask><endEvent id="end"/>
    <boundaryEvent id="b" attachedToRef="work" cancelActivity="${interrupting}">${boundary}</boundaryEvent><endEvent id="escalated"/>
    ${flows('start', 'work', 'end')}${flows('b', 'escalated')}`;
  const timer = (d: string) => `<timerEventDefinition><timeDuration>${d}</timeDuration></timerEventDefinition>`;
  const cycle = (c: string) => `<timerEventDefinition><timeCycle>${c}</timeCycle></timerEventDefinition>`;

  it('an interrupting timer cancels the activity and its job', async () => {
    const { engine, pi } = await run(withBoundary(timer('PT5M')));
    await engine.advance(5 * MINUTE);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', 'xwork', '+b', '-b', '+escalated', '-escalated']);
    expect(pi.status).toBe('completed');
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'job.closed', reason: 'canceled' }));
  });

  it('a timer boundary is canceled when the activity completes first', async () => {
    const { engine, pi } = await run(withBoundary(timer('PT5M')));
    await pi.completeJob('work');
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'timer.canceled' }));
    await engine.advance(10 * MINUTE);
    expect(lifecycle(pi)).not.toContain('+b');
  });

  it('a non-interrupting cycle fires repeatedly while the activity runs', async () => {
    const { engine, pi } = await run(withBoundary(cycle('R3/PT10M'), false));
    await engine.advance(60 * MINUTE);
    expect(lifecycle(pi).filter((e) => e === '+b')).toHaveLength(3);
    expect(pi.activeElements()).toEqual(['work']);
    await pi.completeJob('work');
    expect(pi.status).toBe('completed');
  });

  it('a message boundary interrupts with the message variables', async () => {
    const { engine, pi } = await run(withBoundary('<messageEventDefinition messageRef="m"/>'), { orderId: 'o-9' }, paid);
    await engine.publish('paid', 'o-9', { via: 'boundary' });
    expect(lifecycle(pi)).toContain('xwork');
    expect(pi.status).toBe('completed');
    expect(pi.variables['via']).toBe('boundary');
  });

  it('a non-interrupting message boundary leaves the activity running', async () => {
    const { engine, pi } = await run(withBoundary('<messageEventDefinition messageRef="m"/>', false), { orderId: 'o-9' }, paid);
    await engine.publish('paid', 'o-9');
    expect(pi.activeElements()).toEqual(['work']);
    expect(lifecycle(pi)).toEqual(expect.arrayContaining(['+b', '-b', '+escalated']));
  });

  it('an error boundary catches the BPMN error a job throws, by code', async () => {
    const { pi } = await run(withBoundary('<errorEventDefinition errorRef="e"/>'), {}, '<error id="e" errorCode="REJECTED"/>');
    await pi.throwError('work', 'REJECTED', 'identity rejected');
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', 'xwork', '+b', '-b', '+escalated', '-escalated']);
  });

  it('a job error with another code is not caught: incident', async () => {
    const { pi } = await run(withBoundary('<errorEventDefinition errorRef="e"/>'), {}, '<error id="e" errorCode="REJECTED"/>');
    await pi.throwError('work', 'OTHER');
    expect(pi.incidents()).toEqual([expect.objectContaining({ kind: 'unhandledError', elementId: 'work' })]);
  });

  it('an error boundary without a code catches every error', async () => {
    const { pi } = await run(withBoundary('<errorEventDefinition/>'));
    await pi.throwError('work', 'ANY');
    expect(pi.status).toBe('completed');
  });
});
