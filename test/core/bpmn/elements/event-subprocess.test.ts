import { describe, expect, it } from 'vitest';
import { flows, job, message } from '../../../../lib/testing/index.ts';
import { lifecycle, run } from '../../helpers.ts';

const ROOTS = `${message('m', 'cancel', '=orderId')}<signal id="s" name="audit"/><error id="e" errorCode="FAILED"/><escalation id="x" escalationCode="LATE"/>`;

/** An event subprocess `esp` with start event `espStart` (its trigger inside) leading to a `handler` job. */
const esp = (trigger: string, interrupting = true) => `
  <subProcess id="esp" triggeredByEvent="true">
    <startEvent id="espStart" isInterrupting="${interrupting}">${trigger}</startEvent>
    <serviceTask id="handler">${job('handler')}</serviceTask><endEvent id="espEnd"/>${flows('espStart', 'handler', 'espEnd')}
  </subProcess>`;

const main = `<startEvent id="start"/><serviceTask id="work">${job('work')}</serviceTask><endEvent id="end"/>${flows('start', 'work', 'end')}`;
const byMessage = '<messageEventDefinition messageRef="m"/>';

describe('event subprocesses of the process', () => {
  it('an interrupting message event subprocess ends the process flow and runs instead', async () => {
    const { engine, pi } = await run(`${main}${esp(byMessage)}`, { orderId: 'o-1' }, ROOTS);
    expect(Object.values(pi.state.subscriptions)).toEqual([expect.objectContaining({ ei: 'root', elementId: 'espStart', messageName: 'cancel', correlationKey: 'o-1' })]);
    expect(await engine.publish('cancel', 'o-1', { reason: 'customer' })).toBe(1);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', 'xwork', '+esp', '+espStart', '-espStart', '+handler']);
    expect(pi.variables['reason']).toBe('customer');
    await pi.completeJob('handler');
    expect(lifecycle(pi).slice(8)).toEqual(['-handler', '+espEnd', '-espEnd', '-esp']);
    expect(pi.status).toBe('completed');
  });

  it('a non-interrupting one runs next to the process flow, once per trigger, and is closed when the process ends', async () => {
    const { pi } = await run(`${main}${esp('<signalEventDefinition signalRef="s"/>', false)}`, {}, ROOTS);
    await pi.send({ type: 'broadcastSignal', name: 'audit' });
    await pi.send({ type: 'broadcastSignal', name: 'audit' });
    expect(pi.activeElements()).toEqual(['esp', 'esp', 'handler', 'handler', 'work']);
    await pi.completeJob('work');
    expect(pi.status).toBe('active');
    await pi.completeJob('handler');
    await pi.completeJob('handler');
    expect(pi.status).toBe('completed');
    expect(pi.state.subscriptions).toEqual({});
    expect(pi.effects.filter((e) => e.type === 'subscription.closed')).toHaveLength(3);
  });

  it('a timer event subprocess fires after its duration', async () => {
    const { engine, pi } = await run(`${main}${esp('<timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>')}`, {}, ROOTS);
    await engine.advance(60 * 60_000);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', 'xwork', '+esp', '+espStart', '-espStart', '+handler']);
  });

  it('an error event subprocess catches an error thrown by a job in its scope', async () => {
    const { pi } = await run(`${main}${esp('<errorEventDefinition errorRef="e"/>')}`, {}, ROOTS);
    await pi.throwError('work', 'FAILED');
    expect(pi.events).toContainEqual(expect.objectContaining({ type: 'ErrorThrown', errorCode: 'FAILED', caughtBy: 'espStart' }));
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', 'xwork', '+esp', '+espStart', '-espStart', '+handler']);
    expect(pi.incidents()).toEqual([]);
  });

  it('its listeners close when the instance is canceled', async () => {
    const { pi } = await run(`${main}${esp(byMessage)}`, { orderId: 'o-1' }, ROOTS);
    await pi.cancel();
    expect(pi.state.subscriptions).toEqual({});
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'subscription.closed', messageName: 'cancel' }));
  });
});

describe('event subprocesses of a subprocess', () => {
  const sub = (inner: string, trigger: string, interrupting = true) => `
    <startEvent id="start"/>
    <subProcess id="sub"><startEvent id="s1"/>${inner}${esp(trigger, interrupting)}</subProcess>
    <serviceTask id="after">${job('after')}</serviceTask><endEvent id="end"/>${flows('start', 'sub', 'after', 'end')}`;

  it('a non-interrupting escalation event subprocess catches an escalation thrown in the subprocess', async () => {
    const { pi } = await run(sub(`<intermediateThrowEvent id="up"><escalationEventDefinition escalationRef="x"/></intermediateThrowEvent>
      <serviceTask id="work">${job('work')}</serviceTask><endEvent id="e1"/>${flows('s1', 'up', 'work', 'e1')}`, '<escalationEventDefinition escalationRef="x"/>', false), {}, ROOTS);
    expect(pi.events).toContainEqual(expect.objectContaining({ type: 'EscalationThrown', escalationCode: 'LATE', caughtBy: 'espStart' }));
    expect(pi.activeElements()).toEqual(['esp', 'handler', 'sub', 'work']);
    await pi.completeJob('handler');
    await pi.completeJob('work');
    expect(pi.activeElements()).toEqual(['after']);
  });

  it('an interrupting error event subprocess ends the inner flow; the subprocess then completes normally', async () => {
    const { pi } = await run(sub(`<endEvent id="fail"><errorEventDefinition errorRef="e"/></endEvent>${flows('s1', 'fail')}`, '<errorEventDefinition errorRef="e"/>'), {}, ROOTS);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+sub', '+s1', '-s1', '+fail', 'xfail', '+esp', '+espStart', '-espStart', '+handler']);
    await pi.completeJob('handler');
    expect(pi.activeElements()).toEqual(['after']);
  });

  it('a message event subprocess listens only while its subprocess runs', async () => {
    const { engine, pi } = await run(sub(`<serviceTask id="work">${job('work')}</serviceTask><endEvent id="e1"/>${flows('s1', 'work', 'e1')}`, byMessage), { orderId: 'o-2' }, ROOTS);
    expect(Object.values(pi.state.subscriptions)).toEqual([expect.objectContaining({ elementId: 'espStart' })]);
    await pi.completeJob('work');
    expect(pi.state.subscriptions).toEqual({});
    expect(await engine.publish('cancel', 'o-2')).toBe(0);
  });
});
