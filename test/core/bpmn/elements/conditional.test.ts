import { describe, expect, it } from 'vitest';
import { conditionalStartsOf, matchingConditionalStarts } from '../../../../lib/core/bpmn/conditional-starts.ts';
import { TestEngine, bpmn, escapeXml, flows, job } from '../../../../lib/testing/index.ts';
import type { TestInstance } from '../../../../lib/testing/index.ts';
import { lifecycle, run } from '../../helpers.ts';

const when = (condition: string, filter = '') =>
  `<conditionalEventDefinition>${filter}<condition xsi:type="tFormalExpression">${escapeXml(condition)}</condition></conditionalEventDefinition>`;

/** The event types of the last step, elements named: `ElementCompleted:wait` (a setVariables step ends with its CommandRecorded, as on the durable path). */
const lastStep = (pi: TestInstance) =>
  (pi.steps.at(-1)?.result.events ?? []).map((e) => ('elementId' in e && e.type.startsWith('Element') ? `${e.type}:${e.elementId}` : e.type));

const catchEvent = (condition: string) => `
  <startEvent id="start"/><intermediateCatchEvent id="wait">${when(condition)}</intermediateCatchEvent><endEvent id="end"/>
  ${flows('start', 'wait', 'end')}`;

/** `work` (a job) with a conditional boundary event `watch` leading to `watched`. */
const guarded = (condition: string, interrupting = true) => `
  <startEvent id="start"/><serviceTask id="work">${job('work')}</serviceTask><endEvent id="end"/>
  <boundaryEvent id="watch" attachedToRef="work" cancelActivity="${interrupting}">${when(condition)}</boundaryEvent><endEvent id="watched"/>
  ${flows('start', 'work', 'end')}${flows('watch', 'watched')}`;

describe('conditional intermediate catch events', () => {
  it('waits until setVariables makes its condition true, then completes in that step', async () => {
    const { pi } = await run(catchEvent('=amount > 100'), { amount: 50 });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+wait']);
    expect(Object.values(pi.state.conditions ?? {})).toEqual([expect.objectContaining({ elementId: 'wait', holds: false })]);

    await pi.setVariables({ amount: 80 });
    expect(lastStep(pi)).toEqual(['VariablesSet', 'CommandRecorded']);
    await pi.setVariables({ amount: 150 });

    expect(lastStep(pi)).toEqual(['VariablesSet', 'ConditionTriggered', 'ConditionClosed', 'ElementCompleted:wait', 'FlowTaken', 'ElementActivated:end', 'ElementCompleted:end', 'InstanceCompleted', 'CommandRecorded']);
    expect(pi.state.conditions).toEqual({});
  });

  it('completes when the variables of a job completion make it true', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><parallelGateway id="fork"/>
      <serviceTask id="review">${job('review')}</serviceTask><endEvent id="reviewed"/>
      <intermediateCatchEvent id="wait">${when('=approved = true')}</intermediateCatchEvent><endEvent id="end"/>
      ${flows('start', 'fork', 'review', 'reviewed')}${flows('fork', 'wait', 'end')}`);
    expect(pi.activeElements()).toEqual(['review', 'wait']);

    await pi.completeJob('review', { approved: true });

    expect(lifecycle(pi).slice(-6)).toEqual(['-review', '+reviewed', '-reviewed', '-wait', '+end', '-end']);
    expect(pi.status).toBe('completed');
  });

  it('completes at once when its condition already holds on entry', async () => {
    const { pi } = await run(catchEvent('=amount > 100'), { amount: 150 });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+wait', '-wait', '+end', '-end']);
    expect(pi.events.some((e) => e.type.startsWith('Condition'))).toBe(false);
  });

  it('re-evaluates only on changes of the variables named by zeebe:conditionalFilter', async () => {
    const filter = '<extensionElements><zeebe:conditionalFilter variableNames="amount"/></extensionElements>';
    const { pi } = await run(`<startEvent id="start"/><intermediateCatchEvent id="wait">${when('=amount > limit', filter)}</intermediateCatchEvent><endEvent id="end"/>
      ${flows('start', 'wait', 'end')}`, { amount: 50, limit: 100 });
    await pi.setVariables({ limit: 10 });
    expect(pi.activeElements()).toEqual(['wait']);
    await pi.setVariables({ amount: 51 });
    expect(pi.status).toBe('completed');
  });

  it('raises an incident when the condition fails on entry; resolving evaluates it again', async () => {
    const { pi } = await run(catchEvent('=date(due) < date("2026-06-01")'), { due: 'soon' });
    expect(pi.incidents()).toEqual([expect.objectContaining({ elementId: 'wait', phase: 'activate', message: expect.stringMatching(/condition of 'wait'/) })]);
    await pi.setVariables({ due: '2026-01-15' });
    await pi.resolveIncident();
    expect(pi.status).toBe('completed');
  });
});

describe('conditional boundary events', () => {
  it('an interrupting one fires when a variable changes while the task waits, canceling its job', async () => {
    const { pi } = await run(guarded('=cancelled = true'), { cancelled: false });
    const jobId = pi.jobs()[0]?.jobId;
    await pi.setVariables({ note: 'unrelated' });
    expect(pi.activeElements()).toEqual(['work']);

    await pi.setVariables({ cancelled: true });

    expect(lastStep(pi)).toEqual([
      'VariablesSet', 'ConditionTriggered', 'ConditionClosed', 'JobCanceled', 'ElementTerminated:work',
      'ElementActivated:watch', 'ElementCompleted:watch', 'FlowTaken', 'ElementActivated:watched', 'ElementCompleted:watched', 'InstanceCompleted', 'CommandRecorded',
    ]);
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'job.closed', jobId, reason: 'canceled' }));
  });

  it('an interrupting one whose condition holds when its activity starts fires in that step', async () => {
    const { pi } = await run(guarded('=cancelled = true'), { cancelled: true });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', 'xwork', '+watch', '-watch', '+watched', '-watched']);
  });

  it('a non-interrupting one fires once per false -> true change, next to the task', async () => {
    const { pi } = await run(guarded('=temperature > 30', false), { temperature: 20 });
    await pi.setVariables({ temperature: 35 });
    await pi.setVariables({ temperature: 36 });
    expect(lifecycle(pi).filter((e) => e === '+watch')).toHaveLength(1);
    await pi.setVariables({ temperature: 25 });
    expect(lastStep(pi)).toEqual(['VariablesSet', 'ConditionReset', 'CommandRecorded']);
    await pi.setVariables({ temperature: 40 });

    expect(lifecycle(pi).slice(3)).toEqual(['+watch', '-watch', '+watched', '-watched', '+watch', '-watch', '+watched', '-watched']);
    expect(pi.activeElements()).toEqual(['work']);
    await pi.completeJob('work');
    expect(pi.status).toBe('completed');
    expect(pi.state.conditions).toEqual({});
  });

  it('a condition that fails is an incident on the activity; after resolving it is evaluated again', async () => {
    const { pi } = await run(guarded('=date(due) < date("2026-06-01")'), { due: '2026-09-01' });
    await pi.setVariables({ due: 'soon' });
    expect(pi.incidents()).toEqual([expect.objectContaining({ elementId: 'watch', kind: 'condition', phase: 'condition', ei: pi.state.jobs[Object.keys(pi.state.jobs)[0] as string]?.ei })]);
    await pi.setVariables({ due: '2026-01-15' });
    expect(pi.activeElements()).toEqual(['work']);

    await pi.resolveIncident();

    expect(lastStep(pi).slice(0, 3)).toEqual(['IncidentResolved', 'ConditionTriggered', 'ConditionClosed']);
    expect(pi.activeElements()).toEqual([]);
    expect(pi.status).toBe('completed');
  });
});

describe('conditional event subprocess starts', () => {
  const esp = (interrupting: boolean) => `
    <startEvent id="start"/><serviceTask id="work">${job('work')}</serviceTask><endEvent id="end"/>${flows('start', 'work', 'end')}
    <subProcess id="esp" triggeredByEvent="true">
      <startEvent id="espStart" isInterrupting="${interrupting}">${when('=status = "escalated"')}</startEvent>
      <serviceTask id="handler">${job('handler')}</serviceTask><endEvent id="espEnd"/>${flows('espStart', 'handler', 'espEnd')}
    </subProcess>`;

  it('an interrupting one ends the process flow when its condition becomes true (a variable not set yet counts as false)', async () => {
    const { pi } = await run(esp(true));
    expect(pi.incidents()).toEqual([]);
    expect(Object.values(pi.state.conditions ?? {})).toEqual([expect.objectContaining({ ei: 'root', elementId: 'espStart' })]);
    await pi.setVariables({ status: 'escalated' });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', 'xwork', '+esp', '+espStart', '-espStart', '+handler']);
    expect(pi.state.conditions).toEqual({});
    await pi.completeJob('handler');
    expect(pi.status).toBe('completed');
  });

  it('a non-interrupting one starts once per false -> true change and closes with the process', async () => {
    const { pi } = await run(esp(false), { status: 'open' });
    await pi.setVariables({ status: 'escalated' });
    await pi.setVariables({ status: 'open' });
    await pi.setVariables({ status: 'escalated' });
    expect(pi.activeElements()).toEqual(['esp', 'esp', 'handler', 'handler', 'work']);
    await pi.completeJob('handler');
    await pi.completeJob('handler');
    await pi.completeJob('work');
    expect(pi.status).toBe('completed');
    expect(pi.state.conditions).toEqual({});
  });
});

describe('conditional event subprocess starts inside a subprocess', () => {
  const riskySub = `
      <startEvent id="start"/>
      <subProcess id="sub"><startEvent id="s1"/><serviceTask id="work">${job('work')}</serviceTask><endEvent id="e1"/>${flows('s1', 'work', 'e1')}
        <subProcess id="esp" triggeredByEvent="true">
          <startEvent id="espStart">${when('=risk > 5')}</startEvent><endEvent id="espEnd"/>${flows('espStart', 'espEnd')}
        </subProcess>
      </subProcess>
      <userTask id="after"/><endEvent id="end"/>${flows('start', 'sub', 'after', 'end')}`;

  it('listen only while their subprocess runs; conditions are checked once the step has nothing else to do', async () => {
    const { pi } = await run(riskySub, { risk: 1 });
    const sub = Object.values(pi.state.elements).find((e) => e.elementId === 'sub')?.key;
    expect(Object.values(pi.state.conditions ?? {})).toEqual([expect.objectContaining({ elementId: 'espStart', ei: sub })]);

    // The completion that sets risk also ends the subprocess within the same step: its listener is gone by then.
    await pi.completeJob('work', { risk: 9 });
    await pi.setVariables({ risk: 10 });

    expect(lifecycle(pi).slice(-5)).toEqual(['-work', '+e1', '-e1', '-sub', '+after']);
    expect(pi.state.conditions).toEqual({});
  });

  it('an interrupting one ends the subprocess flow when a root variable changes', async () => {
    const { pi } = await run(riskySub, { risk: 1 });
    await pi.setVariables({ risk: 9 });
    expect(lifecycle(pi).slice(-9)).toEqual(['xwork', '+esp', '+espStart', '-espStart', '+espEnd', '-espEnd', '-esp', '-sub', '+after']);
  });
});

describe('conditional start events of a process', () => {
  const xml = bpmn(`<startEvent id="bigOrder">${when('=amount > 1000')}</startEvent>
    <userTask id="check"/><endEvent id="end"/>${flows('bigOrder', 'check', 'end')}`, { id: 'review-big-orders' });
  const other = bpmn(`<startEvent id="anyOrder">${when('=amount > 0')}</startEvent><endEvent id="done"/>${flows('anyOrder', 'done')}`, { id: 'count-orders' });

  it('lists the conditional start events and which hold over given variables', async () => {
    const engine = await TestEngine.deploy(xml);
    const def = engine.definition('review-big-orders');
    expect(conditionalStartsOf(def)).toEqual([{ startEventId: 'bigOrder', condition: '=amount > 1000' }]);
    expect(matchingConditionalStarts(def, { amount: 1500 }, 0)).toEqual({ startEventIds: ['bigOrder'], problems: [] });
    expect(matchingConditionalStarts(def, {}, 0)).toEqual({ startEventIds: [], problems: [] });
  });

  it('the harness starts every process whose condition holds, with the variables, through TestEngine with roundTrip', async () => {
    const engine = await TestEngine.deploy([xml, other], { roundTrip: true });
    expect((await engine.evaluateConditions({ amount: 500 })).map((pi) => pi.definition.key)).toEqual(['count-orders']);

    // Started in the order of the start registry (definition keys), as the API starts them.
    const started = await engine.evaluateConditions({ amount: 1500 });
    expect(started.map((pi) => pi.definition.key)).toEqual(['count-orders', 'review-big-orders']);
    const [count, big] = started;

    expect(lifecycle(big as TestInstance)).toEqual(['+bigOrder', '-bigOrder', '+check']);
    expect(big?.variables).toEqual({ amount: 1500 });
    expect(count?.status).toBe('completed');
  });

  it('a catch event and a boundary event run the same through TestEngine with roundTrip', async () => {
    const engine = await TestEngine.deploy([bpmn(guarded('=temperature > 30', false)), bpmn(catchEvent('=amount > 100'), { id: 'waiting' })], { roundTrip: true });
    const pi = await engine.start('process', { temperature: 20 });
    await pi.setVariables({ temperature: 35 });
    await pi.setVariables({ temperature: 20 });
    await pi.setVariables({ temperature: 35 });
    expect(lifecycle(pi).filter((e) => e === '+watched')).toHaveLength(2);

    const waiting = await engine.start('waiting', { amount: 1 });
    await waiting.setVariables({ amount: 101 });
    expect(lifecycle(waiting)).toEqual(['+start', '-start', '+wait', '-wait', '+end', '-end']);
  });
});

describe('deploying conditional events', () => {
  const waitFor = (definition: string) => bpmn(`<startEvent id="start"/><intermediateCatchEvent id="wait">${definition}</intermediateCatchEvent><endEvent id="end"/>${flows('start', 'wait', 'end')}`);

  it.each([
    ['a condition that is not FEEL', when('amount > 100'), /wait line \d+: the condition 'amount > 100' of a conditional event must be FEEL/],
    ['no condition', '<conditionalEventDefinition/>', /wait line \d+: a conditional event needs a condition/],
    ['a FEEL syntax error', when('=amount >'), /wait line \d+: condition: FEEL syntax error/],
    ['a filter on variable events', when('=a', '<extensionElements><zeebe:conditionalFilter variableEvents="create"/></extensionElements>'), /wait line \d+: zeebe:conditionalFilter variableEvents is not supported/],
  ])('refuses %s, naming the element', async (_, definition, why) => {
    await expect(TestEngine.deploy(waitFor(definition))).rejects.toThrow(why);
  });
});
