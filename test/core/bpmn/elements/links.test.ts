import { describe, expect, it } from 'vitest';
import { flows, job } from '../../../../lib/testing/index.ts';
import { lifecycle, run } from '../../helpers.ts';

describe('link events', () => {
  it('a link throw event continues at the link catch event of the same name', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><intermediateThrowEvent id="goto"><linkEventDefinition name="page2"/></intermediateThrowEvent>
      <intermediateCatchEvent id="from"><linkEventDefinition name="page2"/></intermediateCatchEvent>
      <serviceTask id="work">${job('work')}</serviceTask><endEvent id="end"/>
      ${flows('start', 'goto')}${flows('from', 'work', 'end')}`);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+goto', '-goto', '+from', '-from', '+work']);
    expect(pi.events.filter((e) => e.type === 'FlowTaken')).toHaveLength(2);
    await pi.completeJob('work');
    expect(pi.status).toBe('completed');
  });

  it('links inside a subprocess stay in its scope', async () => {
    const { pi } = await run(`
      <startEvent id="start"/>
      <subProcess id="sub"><startEvent id="s1"/><intermediateThrowEvent id="goto"><linkEventDefinition name="next"/></intermediateThrowEvent>
        <intermediateCatchEvent id="from"><linkEventDefinition name="next"/></intermediateCatchEvent><endEvent id="e1"/>${flows('s1', 'goto')}${flows('from', 'e1')}</subProcess>
      <endEvent id="end"/>${flows('start', 'sub', 'end')}`);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+sub', '+s1', '-s1', '+goto', '-goto', '+from', '-from', '+e1', '-e1', '-sub', '+end', '-end']);
  });
});

describe('link events and inclusive joins', () => {
  it('an inclusive join waits for a token that will reach it through a link', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><inclusiveGateway id="split" default="toJoin"/><inclusiveGateway id="join"/>
      <serviceTask id="work">${job('work')}</serviceTask>
      <intermediateThrowEvent id="jump"><linkEventDefinition name="back"/></intermediateThrowEvent>
      <intermediateCatchEvent id="land"><linkEventDefinition name="back"/></intermediateCatchEvent>
      <manualTask id="after"/><endEvent id="end"/>
      <sequenceFlow id="toWork" sourceRef="split" targetRef="work"><conditionExpression xsi:type="tFormalExpression">=x &gt; 0</conditionExpression></sequenceFlow>
      <sequenceFlow id="direct" sourceRef="split" targetRef="join"><conditionExpression xsi:type="tFormalExpression">=x &gt; 1</conditionExpression></sequenceFlow>
      <sequenceFlow id="toJoin" sourceRef="split" targetRef="join"/>
      ${flows('start', 'split')}${flows('work', 'jump')}${flows('land', 'join', 'after', 'end')}`, { x: 2 });
    expect(pi.activeElements()).toEqual(['work']);
    expect(lifecycle(pi)).not.toContain('+after');
    await pi.completeJob('work');
    expect(lifecycle(pi).filter((e) => e === '+after')).toHaveLength(1);
    expect(pi.status).toBe('completed');
  });
});
