import { describe, expect, it } from 'vitest';
import { TestEngine, bpmn, flows, job } from '../../../../lib/testing/index.ts';
import { lifecycle, run } from '../../helpers.ts';

const SIGNAL = '<signal id="s" name="price-freeze"/>';
const catchSignal = '<signalEventDefinition signalRef="s"/>';

describe('signal catch events', () => {
  it('an intermediate catch event waits on a signal:<name> subscription with an empty correlation key', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><intermediateCatchEvent id="wait">${catchSignal}</intermediateCatchEvent><endEvent id="end"/>
      ${flows('start', 'wait', 'end')}`, {}, SIGNAL);
    expect(Object.values(pi.state.subscriptions)).toEqual([expect.objectContaining({ elementId: 'wait', messageName: 'signal:price-freeze', correlationKey: '' })]);
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'subscription.opened', messageName: 'signal:price-freeze', correlationKey: '' }));
    await pi.send({ type: 'broadcastSignal', name: 'price-freeze', variables: { frozen: true } });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+wait', '-wait', '+end', '-end']);
    expect(pi.variables).toEqual({ frozen: true });
  });

  it('is also triggered by correlateMessage with the signal:<name> subscription name', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><intermediateCatchEvent id="wait">${catchSignal}</intermediateCatchEvent><endEvent id="end"/>
      ${flows('start', 'wait', 'end')}`, {}, SIGNAL);
    await pi.send({ type: 'correlateMessage', name: 'signal:price-freeze', correlationKey: '' });
    expect(pi.status).toBe('completed');
  });

  it('a broadcast triggers every waiting subscription of the instance, and is rejected when none waits', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><parallelGateway id="fork"/>
      <intermediateCatchEvent id="a">${catchSignal}</intermediateCatchEvent><intermediateCatchEvent id="b">${catchSignal}</intermediateCatchEvent>
      <endEvent id="endA"/><endEvent id="endB"/>
      ${flows('start', 'fork', 'a', 'endA')}${flows('fork', 'b', 'endB')}`, {}, SIGNAL);
    await pi.send({ type: 'broadcastSignal', name: 'price-freeze' });
    expect(pi.status).toBe('completed');
    expect((await pi.send({ type: 'broadcastSignal', name: 'price-freeze' })).rejection?.code).toBe('INVALID_STATE');
  });

  it('an interrupting signal boundary cancels its activity; another signal name does nothing', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><serviceTask id="work">${job('work')}</serviceTask><endEvent id="end"/>
      <boundaryEvent id="frozen" attachedToRef="work">${catchSignal}</boundaryEvent><endEvent id="frozenEnd"/>
      ${flows('start', 'work', 'end')}${flows('frozen', 'frozenEnd')}`, {}, SIGNAL);
    expect((await pi.send({ type: 'broadcastSignal', name: 'other' })).rejection?.code).toBe('NOT_FOUND');
    await pi.send({ type: 'broadcastSignal', name: 'price-freeze' });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', 'xwork', '+frozen', '-frozen', '+frozenEnd', '-frozenEnd']);
    expect(pi.state.jobs).toEqual({});
  });

  it('a non-interrupting signal boundary fires on every broadcast while the activity runs', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><serviceTask id="work">${job('work')}</serviceTask><endEvent id="end"/>
      <boundaryEvent id="frozen" attachedToRef="work" cancelActivity="false">${catchSignal}</boundaryEvent><endEvent id="frozenEnd"/>
      ${flows('start', 'work', 'end')}${flows('frozen', 'frozenEnd')}`, {}, SIGNAL);
    await pi.send({ type: 'broadcastSignal', name: 'price-freeze' });
    await pi.send({ type: 'broadcastSignal', name: 'price-freeze' });
    expect(lifecycle(pi).filter((e) => e === '+frozen')).toHaveLength(2);
    expect(pi.activeElements()).toEqual(['work']);
    await pi.completeJob('work');
    expect(pi.status).toBe('completed');
    expect(pi.state.subscriptions).toEqual({});
  });

  it('an event-based gateway can wait for a signal', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><eventBasedGateway id="gw"/>
      <intermediateCatchEvent id="sig">${catchSignal}</intermediateCatchEvent>
      <intermediateCatchEvent id="late"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <endEvent id="e1"/><endEvent id="e2"/>${flows('start', 'gw', 'sig', 'e1')}${flows('gw', 'late', 'e2')}`, {}, SIGNAL);
    await pi.send({ type: 'broadcastSignal', name: 'price-freeze' });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+gw', '-gw', '+sig', '-sig', '+e1', '-e1']);
    expect(pi.state.timers).toEqual({});
  });
});

describe('signal start events', () => {
  it('start the instance with the start command naming the signal start event', async () => {
    const engine = await TestEngine.deploy(bpmn(`
      <startEvent id="bySignal"><signalEventDefinition signalRef="s"/></startEvent><endEvent id="end"/>${flows('bySignal', 'end')}`, { rootElements: SIGNAL }));
    const pi = await engine.start('process', { reason: 'audit' }, { startEventId: 'bySignal' });
    expect(lifecycle(pi)).toEqual(['+bySignal', '-bySignal', '+end', '-end']);
    expect(pi.variables).toEqual({ reason: 'audit' });
  });
});

describe('signal throw events', () => {
  it('an intermediate throw event emits a signal.broadcast effect with its input mappings as variables', async () => {
    const { pi } = await run(`
      <startEvent id="start"/>
      <intermediateThrowEvent id="tell"><extensionElements><zeebe:ioMapping><zeebe:input source="=orderId" target="order"/></zeebe:ioMapping></extensionElements>${catchSignal}</intermediateThrowEvent>
      <endEvent id="end"/>${flows('start', 'tell', 'end')}`, { orderId: 'o-1' }, SIGNAL);
    expect(pi.events).toContainEqual({ type: 'SignalBroadcast', elementId: 'tell', name: 'price-freeze' });
    expect(pi.effects).toContainEqual({ type: 'signal.broadcast', instanceId: pi.id, elementId: 'tell', name: 'price-freeze', variables: { order: 'o-1' } });
    expect(pi.status).toBe('completed');
  });

  it('an end event broadcasts and ends its token', async () => {
    const { pi } = await run(`<startEvent id="start"/><endEvent id="end">${catchSignal}</endEvent>${flows('start', 'end')}`, {}, SIGNAL);
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'signal.broadcast', name: 'price-freeze', variables: {} }));
    expect(pi.status).toBe('completed');
  });
});

describe('signals across instances (TestEngine)', () => {
  const waiter = bpmn(`<startEvent id="start"/><intermediateCatchEvent id="wait">${catchSignal}</intermediateCatchEvent><endEvent id="end"/>${flows('start', 'wait', 'end')}`,
    { id: 'waiter', rootElements: SIGNAL });
  const starter = bpmn(`<startEvent id="bySignal"><signalEventDefinition signalRef="s"/></startEvent><userTask id="audit"/><endEvent id="end"/>${flows('bySignal', 'audit', 'end')}`,
    { id: 'starter', rootElements: SIGNAL });
  const thrower = bpmn(`<startEvent id="start"/><parallelGateway id="fork"/>
    <intermediateThrowEvent id="tell">${catchSignal}</intermediateThrowEvent><intermediateCatchEvent id="hear">${catchSignal}</intermediateCatchEvent>
    <endEvent id="told"/><endEvent id="heard"/>${flows('start', 'fork', 'hear', 'heard')}${flows('fork', 'tell', 'told')}`, { id: 'thrower', rootElements: SIGNAL });

  it('a broadcast reaches every waiting instance and starts every signal start process', async () => {
    const engine = await TestEngine.deploy([waiter, starter]);
    const waiting = [await engine.start('waiter'), await engine.start('waiter')];
    expect(await engine.broadcastSignal('price-freeze', { frozen: true })).toBe(3);
    for (const pi of waiting) expect(pi.status).toBe('completed');
    const started = [...engine.instances.values()].filter((pi) => pi.definition.key === 'starter');
    expect(started.map((pi) => [pi.activeElements(), pi.variables])).toEqual([[['audit'], { frozen: true }]]);
    expect(await engine.broadcastSignal('another')).toBe(0);
  });

  it('a thrown signal reaches other instances and the thrower itself, after its step', async () => {
    const engine = await TestEngine.deploy([waiter, thrower]);
    const other = await engine.start('waiter');
    const pi = await engine.start('thrower');
    expect(other.status).toBe('completed');
    expect(lifecycle(pi)).toEqual(expect.arrayContaining(['+hear', '-hear', '+heard', '-heard', '+told', '-told']));
    expect(pi.status).toBe('completed');
  });
});
