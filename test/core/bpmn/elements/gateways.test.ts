import { describe, expect, it } from 'vitest';
import { flow, flows, job, message } from '../../../../lib/testing/index.ts';
import { lifecycle, run } from '../../helpers.ts';

describe('exclusive gateway', () => {
  const model = `
    <startEvent id="start"/>
    <exclusiveGateway id="gw" default="toC"/>
    <task id="a"/><task id="b"/><task id="c"/>
    <endEvent id="end"/>
    ${flows('start', 'gw')}
    ${flow('gw', 'a', '=amount > 100', 'toA')}${flow('gw', 'b', '=amount > 10', 'toB')}${flow('gw', 'c', undefined, 'toC')}
    <exclusiveGateway id="merge"/>${flows('a', 'merge')}${flows('b', 'merge')}${flows('c', 'merge')}${flows('merge', 'end')}`;

  it('takes the first flow whose condition is true', async () => {
    const { pi } = await run(model, { amount: 500 });
    expect(lifecycle(pi)).toContain('+a');
    expect(lifecycle(pi)).not.toContain('+b');
    expect(pi.status).toBe('completed');
  });

  it('takes the next true condition in order', async () => {
    const { pi } = await run(model, { amount: 50 });
    expect(pi.events.filter((e) => e.type === 'FlowTaken').map((e) => (e as { flowId: string }).flowId)).toContain('toB');
  });

  it('takes the default flow when no condition matches', async () => {
    const { pi } = await run(model, { amount: 1 });
    expect(lifecycle(pi)).toContain('+c');
  });

  it('raises an incident when no condition matches and there is no default, and retries after the fix', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><exclusiveGateway id="gw"/><endEvent id="yes"/><endEvent id="no"/>
      ${flows('start', 'gw')}${flow('gw', 'yes', '=n > 10')}${flow('gw', 'no', '=n < 0')}`, { n: 5 });
    expect(pi.incidents()).toEqual([expect.objectContaining({ kind: 'condition', elementId: 'gw', message: expect.stringContaining('no outgoing flow') })]);
    await pi.setVariables({ n: 11 });
    await pi.resolveIncident();
    expect(lifecycle(pi)).toContain('+yes');
    expect(pi.status).toBe('completed');
  });

  it('raises an incident naming the flow when a condition cannot be evaluated', async () => {
    const { pi } = await run(model);
    expect(pi.incidents()).toEqual([expect.objectContaining({ kind: 'condition', message: expect.stringMatching(/toA.*amount/) })]);
  });
});

describe('parallel gateway', () => {
  it('forks to every flow and joins when all branches arrived, once', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><parallelGateway id="fork"/><parallelGateway id="join"/>
      <serviceTask id="a">${job('a')}</serviceTask><serviceTask id="b">${job('b')}</serviceTask><serviceTask id="c">${job('c')}</serviceTask>
      <serviceTask id="after">${job('after')}</serviceTask><endEvent id="end"/>
      ${flows('start', 'fork')}${flows('fork', 'a', 'join')}${flows('fork', 'b', 'join')}${flows('fork', 'c', 'join')}${flows('join', 'after', 'end')}`);
    expect(pi.activeElements()).toEqual(['a', 'b', 'c']);
    await pi.completeJob('b');
    await pi.completeJob('a');
    expect(pi.activeElements()).toEqual(['c']);
    expect(Object.values(pi.state.joins)).toEqual([{ 'a-join': 1, 'b-join': 1 }]);
    await pi.completeJob('c');
    expect(pi.activeElements()).toEqual(['after']);
    expect(lifecycle(pi).filter((e) => e === '+join')).toHaveLength(1);
    expect(pi.state.joins).toEqual({});
  });
});

describe('inclusive gateway', () => {
  const model = `
    <startEvent id="start"/>
    <inclusiveGateway id="fork" default="toC"/><inclusiveGateway id="join"/>
    <serviceTask id="a">${job('a')}</serviceTask><serviceTask id="b">${job('b')}</serviceTask><serviceTask id="c">${job('c')}</serviceTask>
    <endEvent id="end"/>
    ${flows('start', 'fork')}
    ${flow('fork', 'a', '=wantA', 'toA')}${flow('fork', 'b', '=wantB', 'toB')}${flow('fork', 'c', undefined, 'toC')}
    ${flows('a', 'join')}${flows('b', 'join')}${flows('c', 'join')}${flows('join', 'end')}`;

  it('forks to every flow whose condition holds', async () => {
    const { pi } = await run(model, { wantA: true, wantB: true });
    expect(pi.activeElements()).toEqual(['a', 'b']);
  });

  it('joins waiting only for tokens that can still arrive', async () => {
    const { pi } = await run(model, { wantA: true, wantB: true });
    await pi.completeJob('a');
    expect(pi.activeElements()).toEqual(['b']);
    expect(lifecycle(pi)).not.toContain('+join');
    await pi.completeJob('b');
    expect(lifecycle(pi).filter((e) => e === '+join')).toHaveLength(1);
    expect(pi.status).toBe('completed');
  });

  it('with one branch taken, the join fires on its arrival', async () => {
    const { pi } = await run(model, { wantA: false, wantB: true });
    await pi.completeJob('b');
    expect(pi.status).toBe('completed');
  });

  it('takes the default flow when no condition holds', async () => {
    const { pi } = await run(model, { wantA: false, wantB: false });
    expect(pi.activeElements()).toEqual(['c']);
  });
});

describe('event-based gateway', () => {
  const model = `
    <startEvent id="start"/><eventBasedGateway id="race"/>
    <intermediateCatchEvent id="paid"><messageEventDefinition messageRef="m"/></intermediateCatchEvent>
    <intermediateCatchEvent id="timeout"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <endEvent id="ok"/><endEvent id="expired"/>
    ${flows('start', 'race')}${flows('race', 'paid', 'ok')}${flows('race', 'timeout', 'expired')}`;
  const root = message('m', 'payment', '=orderId');

  it('the message wins: the timer is canceled', async () => {
    const { engine, pi } = await run(model, { orderId: 'o1' }, root);
    expect(pi.activeElements()).toEqual(['race']);
    await engine.publish('payment', 'o1', { paidAmount: 10 });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+race', '-race', '+paid', '-paid', '+ok', '-ok']);
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'timer.canceled' }));
    expect(pi.variables['paidAmount']).toBe(10);
  });

  it('the timer wins: the subscription is closed', async () => {
    const { engine, pi } = await run(model, { orderId: 'o1' }, root);
    await engine.advance(60 * 60_000);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+race', '-race', '+timeout', '-timeout', '+expired', '-expired']);
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'subscription.closed' }));
    expect(await engine.publish('payment', 'o1')).toBe(0);
  });
});
