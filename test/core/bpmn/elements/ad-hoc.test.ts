import { describe, expect, it } from 'vitest';
import { TestEngine, bpmn, escapeXml, flows, job } from '../../../../lib/testing/index.ts';
import { lifecycle, run } from '../../helpers.ts';

interface AdHoc {
  condition?: string;
  cancelRemaining?: boolean;
  active?: string;
}

/** An ad-hoc subprocess `adhoc` around `inner`, between `start` and `end`. */
const adHoc = (inner: string, { condition, cancelRemaining, active }: AdHoc = {}) => `
  <startEvent id="start"/>
  <adHocSubProcess id="adhoc"${cancelRemaining === undefined ? '' : ` cancelRemainingInstances="${cancelRemaining}"`}>
    ${active ? `<extensionElements><zeebe:adHoc activeElementsCollection="${escapeXml(active)}"/></extensionElements>` : ''}
    ${inner}
    ${condition ? `<completionCondition xsi:type="tFormalExpression">${escapeXml(condition)}</completionCondition>` : ''}
  </adHocSubProcess>
  <endEvent id="end"/>${flows('start', 'adhoc', 'end')}`;

const three = `<serviceTask id="a">${job('a')}</serviceTask><serviceTask id="b">${job('b')}</serviceTask><userTask id="c"/>`;

describe('ad-hoc subprocesses', () => {
  it('activates every inner activity without incoming flows and completes when none runs any more', async () => {
    const { pi } = await run(adHoc(three));
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+adhoc', '+a', '+b', '+c']);
    await pi.completeJob('a');
    await pi.completeTask('c');
    expect(pi.activeElements()).toEqual(['adhoc', 'b']);
    await pi.completeJob('b');
    expect(lifecycle(pi).slice(6)).toEqual(['-a', '-c', '-b', '-adhoc', '+end', '-end']);
    expect(pi.status).toBe('completed');
  });

  it('ends when the completion condition holds after an inner completion, terminating what still runs', async () => {
    const { pi } = await run(adHoc(three, { condition: '=done = true' }));
    await pi.completeJob('a', { done: false });
    expect(pi.activeElements()).toEqual(['adhoc', 'b', 'c']);

    await pi.completeJob('b', { done: true });

    expect(lifecycle(pi).slice(6)).toEqual(['-a', '-b', 'xc', '-adhoc', '+end', '-end']);
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'task.closed', reason: 'canceled' }));
    expect(pi.status).toBe('completed');
  });

  it('with cancelRemainingInstances="false", lets the rest finish before it completes', async () => {
    const { pi } = await run(adHoc(three, { condition: '=done = true', cancelRemaining: false }));
    await pi.completeJob('a', { done: true });
    expect(pi.activeElements()).toEqual(['adhoc', 'b', 'c']);
    await pi.completeJob('b');
    await pi.completeTask('c');
    expect(lifecycle(pi).slice(6)).toEqual(['-a', '-b', '-c', '-adhoc', '+end', '-end']);
  });

  it('activates only the elements named by zeebe:adHoc activeElementsCollection, in list order', async () => {
    const { pi } = await run(adHoc(three, { active: '=plan' }), { plan: ['c', 'a'] });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+adhoc', '+c', '+a']);
  });

  it('raises an incident when the collection names an element it cannot activate; resolving retries', async () => {
    const { pi } = await run(adHoc(three, { active: '=plan' }), { plan: ['x'] });
    expect(pi.incidents()).toEqual([expect.objectContaining({ elementId: 'adhoc', phase: 'activate', message: expect.stringMatching(/"x" is not an element of the ad-hoc subprocess/) })]);
    await pi.setVariables({ plan: ['b'] });
    await pi.resolveIncident();
    expect(pi.activeElements()).toEqual(['adhoc', 'b']);
  });

  it('follows flows between inner elements; only elements without incoming flows start', async () => {
    const { pi } = await run(adHoc(`
      <serviceTask id="draft">${job('draft')}</serviceTask><serviceTask id="send">${job('send')}</serviceTask>
      <userTask id="call"/>${flows('draft', 'send')}`));
    expect(pi.activeElements()).toEqual(['adhoc', 'call', 'draft']);
    await pi.completeJob('draft');
    expect(pi.activeElements()).toEqual(['adhoc', 'call', 'send']);
    await pi.completeJob('send');
    await pi.completeTask('call');
    expect(pi.status).toBe('completed');
  });

  it('runs the same through TestEngine with roundTrip', async () => {
    const engine = await TestEngine.deploy(bpmn(adHoc(three, { condition: '=count(results) >= 2' })), { roundTrip: true });
    const pi = await engine.start('process', { results: [] });
    await pi.completeJob('a', { results: ['a'] });
    await pi.completeJob('b', { results: ['a', 'b'] });
    expect(lifecycle(pi).slice(-5)).toEqual(['-b', 'xc', '-adhoc', '+end', '-end']);
  });
});

describe('deploying ad-hoc subprocesses', () => {
  it.each([
    ['sequential ordering', adHoc(three).replace('<adHocSubProcess id="adhoc"', '<adHocSubProcess id="adhoc" ordering="Sequential"'), /adhoc line \d+: ad-hoc subprocesses with sequential ordering are not supported/],
    ['a start event inside', adHoc(`<startEvent id="s1"/>${three}`), /s1 line \d+: an ad-hoc subprocess cannot contain start events \('adhoc'\)/],
    ['no activity inside', adHoc('<intermediateThrowEvent id="note"/>'), /adhoc line \d+: an ad-hoc subprocess needs at least one activity/],
    ['an output collection', adHoc(three).replace('<adHocSubProcess id="adhoc">', '<adHocSubProcess id="adhoc"><extensionElements><zeebe:adHoc outputCollection="results" outputElement="=r"/></extensionElements>'), /adhoc line \d+: zeebe:adHoc outputCollection \/ outputElement are not supported/],
    ['a completion condition that is not FEEL', adHoc(three, { condition: 'done' }), /adhoc line \d+: the completionCondition of an ad-hoc subprocess must be FEEL/],
  ])('refuses %s, naming the element', async (_, body, why) => {
    await expect(TestEngine.deploy(bpmn(body))).rejects.toThrow(why);
  });
});
