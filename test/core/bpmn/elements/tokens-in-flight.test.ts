/**
 * Tokens on their way: a flow is taken in one piece of a step and its target activated in a
 * later one. A scope never completes while a token is on its way into it, and a token whose
 * scope was terminated meanwhile is dropped with it. (Found by the random-model tests.)
 */
import { describe, expect, it } from 'vitest';
import { escapeXml, flow, flows, job } from '../../../../lib/testing/index.ts';
import { lifecycle, run } from '../../helpers.ts';

describe('tokens on their way', () => {
  it('an interrupting escalation boundary ends a subprocess before a parallel sibling token arrives: the token is dropped', async () => {
    const { pi } = await run(`
      <startEvent id="start"/>
      <subProcess id="sub">
        <startEvent id="s1"/><parallelGateway id="fork"/>
        <intermediateThrowEvent id="escalate"><escalationEventDefinition escalationRef="late"/></intermediateThrowEvent>
        <serviceTask id="work">${job('work')}</serviceTask><endEvent id="e1"/><endEvent id="e2"/>
        ${flows('s1', 'fork', 'escalate', 'e1')}${flows('fork', 'work', 'e2')}
      </subProcess>
      <boundaryEvent id="caught" attachedToRef="sub"><escalationEventDefinition escalationRef="late"/></boundaryEvent>
      <endEvent id="end"/><endEvent id="caughtEnd"/>${flows('start', 'sub', 'end')}${flows('caught', 'caughtEnd')}`,
    {}, '<escalation id="late" escalationCode="LATE"/>');
    expect(pi.status).toBe('completed');
    expect(lifecycle(pi)).not.toContain('+work');
    expect(pi.state.elements).toEqual({});
    expect(pi.state.jobs).toEqual({});
    expect(pi.effects.filter((e) => e.type === 'job.activatable')).toEqual([]);
  });

  it('a non-interrupting event subprocess that ends in the same step does not complete the process while its main token is between two elements', async () => {
    const when = (feel: string) => `<conditionalEventDefinition><condition xsi:type="tFormalExpression">${escapeXml(feel)}</condition></conditionalEventDefinition>`;
    const { pi } = await run(`
      <startEvent id="start"/>
      <intermediateCatchEvent id="wait">${when('=x > 0')}</intermediateCatchEvent>
      <intermediateThrowEvent id="t1"/><intermediateThrowEvent id="t2"/>
      <serviceTask id="work">${job('work')}</serviceTask><endEvent id="end"/>
      ${flows('start', 'wait', 't1', 't2', 'work', 'end')}
      <subProcess id="onX" triggeredByEvent="true">
        <startEvent id="xStart" isInterrupting="false">${when('=x > 0')}</startEvent><endEvent id="xEnd"/>${flow('xStart', 'xEnd')}
      </subProcess>`, { x: 0 });
    await pi.send({ type: 'setVariables', variables: { x: 3 } });
    expect(pi.status).toBe('active');
    expect(pi.activeElements()).toEqual(['work']);
    expect(lifecycle(pi)).toContain('-onX');
    await pi.completeJob('work');
    expect(pi.status).toBe('completed');
  });
});

describe('tokens on their way into an interrupted scope', () => {
  it('an interrupting event subprocess drops the parallel sibling token still on its way', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><parallelGateway id="fork"/><parallelGateway id="join"/>
      <intermediateThrowEvent id="escalate"><escalationEventDefinition escalationRef="late"/></intermediateThrowEvent>
      <serviceTask id="work">${job('work')}</serviceTask><endEvent id="end"/>
      ${flows('start', 'fork', 'escalate', 'join', 'end')}${flows('fork', 'work', 'join')}
      <subProcess id="onLate" triggeredByEvent="true">
        <startEvent id="lateStart"><escalationEventDefinition escalationRef="late"/></startEvent><endEvent id="lateEnd"/>${flow('lateStart', 'lateEnd')}
      </subProcess>`, {}, '<escalation id="late" escalationCode="LATE"/>');
    expect(lifecycle(pi)).not.toContain('+work');
    expect(lifecycle(pi)).toContain('-onLate');
    expect(pi.status).toBe('completed');
    expect(pi.state.jobs).toEqual({});
  });

  it('a terminate end event drops the tokens on their way in its scope', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><parallelGateway id="fork"/>
      <endEvent id="stop"><terminateEventDefinition/></endEvent>
      <serviceTask id="work">${job('work')}</serviceTask><endEvent id="end"/>
      ${flows('start', 'fork', 'stop')}${flows('fork', 'work', 'end')}`);
    expect(lifecycle(pi)).not.toContain('+work');
    expect(pi.status).toBe('completed');
    expect(pi.effects.filter((e) => e.type === 'job.activatable')).toEqual([]);
  });
});
