import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../../../lib/core/bpmn/model/compile.ts';
import { childInstanceId } from '../../../../lib/core/bpmn/features/calls.ts';
import { rollback } from '../../../../lib/core/bpmn/rollback.ts';
import { step } from '../../../../lib/core/step.ts';
import { bpmn, flows, job, TestEngine, type TestInstance } from '../../../../lib/testing/index.ts';
import { lifecycle } from '../../helpers.ts';

const ROOTS = '<error id="fail" errorCode="FAIL"/><escalation id="late" escalationCode="LATE"/>';

/** A call activity `call` with a zeebe:calledElement and optional extra extension elements (io mappings). */
const callActivity = (attrs: string, extra = '', inner = '') =>
  `<callActivity id="call"><extensionElements><zeebe:calledElement ${attrs}/>${extra}</extensionElements>${inner}</callActivity>`;

/** start -> call -> end, plus `more` (boundary events and their paths). */
const parent = (call: string, more = '') =>
  bpmn(`<startEvent id="start"/>${call}<endEvent id="end"/>${flows('start', 'call', 'end')}${more}`, { id: 'parent', rootElements: ROOTS });

/** The called process: one job `work`, or the body given. */
const child = (body = `<serviceTask id="work">${job('work')}</serviceTask>`) =>
  bpmn(`<startEvent id="cstart"/>${body}<endEvent id="cend"/>${flows('cstart', 'work', 'cend')}`, { id: 'child', rootElements: ROOTS });

const boundary = (id: string, definition: string, interrupting = true) =>
  `<boundaryEvent id="${id}" attachedToRef="call" cancelActivity="${interrupting}">${definition}</boundaryEvent><endEvent id="${id}End"/>${flows(id, `${id}End`)}`;

const io = (inputs: Array<[string, string]>, outputs: Array<[string, string]> = []) =>
  `<zeebe:ioMapping>${inputs.map(([s, t]) => `<zeebe:input source="${s}" target="${t}"/>`).join('')}${outputs.map(([s, t]) => `<zeebe:output source="${s}" target="${t}"/>`).join('')}</zeebe:ioMapping>`;

/** The call bookkeeping events of an instance, compactly. */
const calls = (pi: TestInstance) => pi.events.flatMap((e) => {
  if (e.type === 'CallStarted') return [`started ${e.childInstanceId}`];
  if (e.type === 'CallEnded') return [`${e.outcome} ${e.key}`];
  return [];
});

/** Both processes in one BPMN document (one deploy request). */
function sameDocument(first: string, second: string): string {
  const process = second.slice(second.indexOf('<process '), second.indexOf('</process>') + '</process>'.length);
  return first.replace('</definitions>', `${process}</definitions>`);
}

async function engineWith(parentXml: string, childXml: string | null = child()): Promise<TestEngine> {
  return TestEngine.deploy(childXml ? [parentXml, childXml] : [parentXml]);
}

function onlyChild(pi: TestInstance): TestInstance {
  const [first, ...rest] = pi.children();
  if (!first || rest.length > 0) throw new Error(`expected one child, got ${pi.children().length}`);
  return first;
}

describe('call activity: starting the child', () => {
  it('starts the child with every variable the call activity sees, input mappings included, and links both ways', async () => {
    const engine = await engineWith(parent(callActivity('processId="child"', io([['=amount * 2', 'doubled']]))));
    const pi = await engine.start('parent', { amount: 21 });

    expect(lifecycle(pi)).toEqual(['+start', '-start', '+call']);
    expect(pi.events).toContainEqual({ type: 'CallStarted', key: '3', ei: '2', childInstanceId: 'pi1-3', processId: 'child' });
    expect(pi.effects).toContainEqual(expect.objectContaining({
      type: 'child.start', parentInstanceId: 'pi1', callId: 'pi1.2', childInstanceId: 'pi1-3', processId: 'child', bindingType: 'latest', variables: { amount: 21, doubled: 42 },
    }));
    const sub = onlyChild(pi);
    expect(sub.id).toBe('pi1-3');
    expect(sub.events[0]).toMatchObject({ type: 'InstanceStarted', definitionKey: 'child', parent: { instanceId: 'pi1', callId: 'pi1.2' } });
    expect(sub.variables).toEqual({ amount: 21, doubled: 42 });
    expect(pi.state.calls).toEqual({ 3: { key: '3', ei: '2', childInstanceId: 'pi1-3', processId: 'child' } });
  });

  it('with propagateAllParentVariables="false" the child gets only the input mappings', async () => {
    const engine = await engineWith(parent(callActivity('processId="child" propagateAllParentVariables="false"', io([['=amount', 'total']]))));
    const pi = await engine.start('parent', { amount: 5, secret: 'x' });
    expect(onlyChild(pi).variables).toEqual({ total: 5 });
  });

  it('reads the called process id from FEEL', async () => {
    const engine = await engineWith(parent(callActivity('processId="=target"')));
    const pi = await engine.start('parent', { target: 'child' });
    expect(onlyChild(pi).definition.key).toBe('child');
  });

  it('derives a child id within the instance id rule, hashing long parent ids', () => {
    const long = 'p'.repeat(64);
    const id = childInstanceId(long, '12');
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(id).toBe(childInstanceId(long, '12'));
    expect(id).not.toBe(childInstanceId(`${'p'.repeat(63)}q`, '12'));
    expect(childInstanceId('order-7', '12')).toBe('order-7-12');
  });
});

describe('call activity: the child ends', () => {
  it('the parent continues with the child\'s variables once the child completes', async () => {
    const engine = await engineWith(parent(callActivity('processId="child"')));
    const pi = await engine.start('parent', { amount: 1 });
    const sub = onlyChild(pi);

    await sub.completeJob('work', { approved: true });

    expect(sub.status).toBe('completed');
    expect(sub.effects).toContainEqual({ type: 'call.completed', parentInstanceId: 'pi1', callId: 'pi1.2', childInstanceId: 'pi1-3', variables: { amount: 1, approved: true } });
    expect(pi.steps.at(-1)?.command).toEqual({ type: 'completeCall', callId: 'pi1.2', childInstanceId: 'pi1-3', variables: { amount: 1, approved: true } });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+call', '-call', '+end', '-end']);
    expect(calls(pi)).toEqual(['started pi1-3', 'completed 3']);
    expect(pi.variables).toEqual({ amount: 1, approved: true });
    expect(pi.status).toBe('completed');
  });

  it('output mappings pick what comes back, as on a job', async () => {
    const engine = await engineWith(parent(callActivity('processId="child"', io([], [['=score * 10', 'rating']]))));
    const pi = await engine.start('parent', {});
    await onlyChild(pi).completeJob('work', { score: 4 });
    expect(pi.variables).toEqual({ rating: 40 });
    expect(pi.status).toBe('completed');
  });

  it('with propagateAllChildVariables="false" nothing comes back but the output mappings', async () => {
    const none = await engineWith(parent(callActivity('processId="child" propagateAllChildVariables="false"')));
    const a = await none.start('parent', { keep: 1 });
    await onlyChild(a).completeJob('work', { score: 4 });
    expect(a.variables).toEqual({ keep: 1 });

    const mapped = await engineWith(parent(callActivity('processId="child" propagateAllChildVariables="false"', io([], [['=score', 'rating']]))));
    const b = await mapped.start('parent', {});
    await onlyChild(b).completeJob('work', { score: 4, other: true });
    expect(b.variables).toEqual({ rating: 4 });
  });
});

describe('call activity: errors and escalations from the child', () => {
  it('an error the child does not catch is caught by an error boundary on the call activity, and the child is canceled', async () => {
    const engine = await engineWith(parent(callActivity('processId="child"'), boundary('caught', '<errorEventDefinition errorRef="fail"/>')));
    const pi = await engine.start('parent', {});
    const sub = onlyChild(pi);

    await sub.throwError('work', 'FAIL', 'card declined');

    expect(sub.incidents()).toEqual([]);
    expect(sub.effects).toContainEqual({ type: 'call.thrown', parentInstanceId: 'pi1', callId: 'pi1.2', childInstanceId: 'pi1-3', kind: 'error', code: 'FAIL', message: 'card declined' });
    expect(pi.events).toContainEqual({ type: 'ErrorThrown', ei: '2', errorCode: 'FAIL', errorMessage: 'card declined', caughtBy: 'caught' });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+call', 'xcall', '+caught', '-caught', '+caughtEnd', '-caughtEnd']);
    expect(calls(pi)).toEqual(['started pi1-3', 'canceled 3']);
    expect(pi.effects).toContainEqual({ type: 'child.cancel', parentInstanceId: 'pi1', callId: 'pi1.2', childInstanceId: 'pi1-3' });
    expect(sub.status).toBe('canceled');
    expect(pi.status).toBe('completed');
  });

  it('an error nobody catches is an incident on the call activity in the parent; resolving it starts a new child', async () => {
    const engine = await engineWith(parent(callActivity('processId="child"')));
    const pi = await engine.start('parent', {});
    await onlyChild(pi).throwError('work', 'FAIL');

    expect(pi.incidents()).toEqual([expect.objectContaining({ elementId: 'call', kind: 'unhandledError', phase: 'error', message: expect.stringContaining("error 'FAIL'") })]);
    expect(pi.children()[0]?.incidents()).toEqual([]);

    await pi.resolveIncident();

    expect(calls(pi)).toEqual(['started pi1-3', 'canceled 3', 'started pi1-5']);
    expect(pi.children().map((c) => [c.id, c.status])).toEqual([['pi1-3', 'canceled'], ['pi1-5', 'active']]);
    await pi.children()[1]?.completeJob('work');
    expect(pi.status).toBe('completed');
  });

  it('while that incident is open, a further error from the same child is rejected', async () => {
    const engine = await engineWith(parent(callActivity('processId="child"')));
    const pi = await engine.start('parent', {});
    await onlyChild(pi).throwError('work', 'FAIL');

    const again = await pi.send({ type: 'callThrown', callId: 'pi1.2', childInstanceId: 'pi1-3', kind: 'error', code: 'OTHER' });

    expect(again.rejection).toEqual({ code: 'INVALID_STATE', message: "call activity 'pi1.2' is already in an incident" });
    expect(pi.incidents()).toHaveLength(1);
  });

  it('an error travels up through nested calls to the first call activity that catches it', async () => {
    const top = bpmn(`<startEvent id="start"/>${callActivity('processId="parent"')}<endEvent id="end"/>${flows('start', 'call', 'end')}${boundary('caught', '<errorEventDefinition errorRef="fail"/>')}`, { id: 'top', rootElements: ROOTS });
    const engine = await TestEngine.deploy([top, parent(callActivity('processId="child"')), child()]);
    const pi = await engine.start('top', {});
    const middle = onlyChild(pi);
    await onlyChild(middle).throwError('work', 'FAIL');

    expect(middle.incidents()).toEqual([]);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+call', 'xcall', '+caught', '-caught', '+caughtEnd', '-caughtEnd']);
    expect([middle.status, onlyChild(middle).status]).toEqual(['canceled', 'canceled']);
  });

  it('an escalation the child does not catch reaches a non-interrupting boundary on the call activity; the child goes on', async () => {
    const childXml = child(`<intermediateThrowEvent id="work"><escalationEventDefinition escalationRef="late"/></intermediateThrowEvent><serviceTask id="more">${job('more')}</serviceTask>`)
      .replace(flows('work', 'cend'), flows('work', 'more', 'cend'));
    const engine = await engineWith(parent(callActivity('processId="child"'), boundary('escalated', '<escalationEventDefinition escalationRef="late"/>', false)), childXml);
    const pi = await engine.start('parent', {});
    const sub = onlyChild(pi);

    expect(pi.events).toContainEqual({ type: 'EscalationThrown', ei: '2', escalationCode: 'LATE', caughtBy: 'escalated' });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+call', '+escalated', '-escalated', '+escalatedEnd', '-escalatedEnd']);
    expect(sub.activeElements()).toEqual(['more']);
    await sub.completeJob('more');
    expect(pi.status).toBe('completed');
  });
});

describe('call activity: ending the call cancels the child', () => {
  it('an interrupting timer boundary on the call activity cancels the child', async () => {
    const engine = await engineWith(parent(callActivity('processId="child"'), boundary('timeout', '<timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>')));
    const pi = await engine.start('parent', {});
    const sub = onlyChild(pi);

    await engine.advance(3_600_000);

    expect(lifecycle(pi)).toEqual(['+start', '-start', '+call', 'xcall', '+timeout', '-timeout', '+timeoutEnd', '-timeoutEnd']);
    expect(sub.status).toBe('canceled');
    expect(sub.jobs()).toEqual([]);
    expect(pi.status).toBe('completed');
  });

  it('canceling the parent cancels the child, which reports nothing back', async () => {
    const engine = await engineWith(parent(callActivity('processId="child"')));
    const pi = await engine.start('parent', {});
    const sub = onlyChild(pi);

    await pi.cancel();

    expect(pi.effects.filter((e) => e.type === 'child.cancel')).toEqual([{ type: 'child.cancel', parentInstanceId: 'pi1', callId: 'pi1.2', childInstanceId: 'pi1-3' }]);
    expect(sub.status).toBe('canceled');
    expect(sub.effects.some((e) => e.type === 'call.completed')).toBe(false);
    expect(pi.steps.map((s) => s.command.type)).toEqual(['start', 'cancel']);
  });

  it('a child cannot be canceled on its own, only through its parent', async () => {
    const engine = await engineWith(parent(callActivity('processId="child"')));
    const pi = await engine.start('parent', {});
    const sub = onlyChild(pi);

    const alone = await sub.send({ type: 'cancel' });

    expect(alone.rejection).toEqual({ code: 'INVALID_STATE', message: "instance 'pi1-3' was started by call activity 'pi1.2' of instance 'pi1'; cancel that instance instead" });
    expect(sub.status).toBe('active');
  });

  it('a completion from a child the call activity no longer waits for is rejected', async () => {
    const engine = await engineWith(parent(callActivity('processId="child"')));
    const pi = await engine.start('parent', {});

    const stale = await pi.send({ type: 'completeCall', callId: 'pi1.2', childInstanceId: 'pi1-99', variables: { x: 1 } });
    expect(stale.rejection?.code).toBe('INVALID_STATE');
    expect(stale.rejection?.message).toContain("not waiting for child instance 'pi1-99'");

    await onlyChild(pi).completeJob('work');
    const late = await pi.send({ type: 'completeCall', callId: 'pi1.2', childInstanceId: 'pi1-3' });
    expect(late.rejection?.code).toBe('INVALID_STATE');
  });
});

describe('call activity: multi-instance', () => {
  it('starts one child per item and collects their outputs in item order', async () => {
    const loop = '<multiInstanceLoopCharacteristics><extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=result"/></extensionElements></multiInstanceLoopCharacteristics>';
    const engine = await engineWith(parent(callActivity('processId="child"', io([], [['=result', 'result']]), loop)));
    const pi = await engine.start('parent', { items: ['a', 'b', 'c'] });
    const children = pi.children();

    expect(children.map((c) => c.variables['item'])).toEqual(['a', 'b', 'c']);
    await children[2]?.completeJob('work', { result: 'C' });
    await children[0]?.completeJob('work', { result: 'A' });
    expect(pi.status).toBe('active');
    await children[1]?.completeJob('work', { result: 'B' });

    expect(pi.variables['results']).toEqual(['A', 'B', 'C']);
    expect(calls(pi).filter((c) => c.startsWith('completed'))).toHaveLength(3);
    expect(pi.status).toBe('completed');
  });
});

describe('call activity: multi-instance with a boundary', () => {
  it('an error from one child is caught on the multi-instance body, which cancels every other child', async () => {
    const loop = '<multiInstanceLoopCharacteristics><extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item"/></extensionElements></multiInstanceLoopCharacteristics>';
    const engine = await engineWith(parent(callActivity('processId="child"', '', loop), boundary('caught', '<errorEventDefinition errorRef="fail"/>')));
    const pi = await engine.start('parent', { items: [1, 2, 3] });
    const [first, second, third] = pi.children();

    await second?.throwError('work', 'FAIL');

    expect(lifecycle(pi).slice(-8)).toEqual(['xcall', 'xcall', 'xcall', 'xcall', '+caught', '-caught', '+caughtEnd', '-caughtEnd']);
    expect([first?.status, second?.status, third?.status]).toEqual(['canceled', 'canceled', 'canceled']);
    expect(pi.status).toBe('completed');
  });
});

describe('call activity: the called process is missing', () => {
  it('raises an incident on the call activity naming the process; after deploying it, resolving the incident runs the call', async () => {
    const engine = await engineWith(parent(callActivity('processId="child"')), null);
    const pi = await engine.start('parent', {});

    expect(pi.incidents()).toEqual([expect.objectContaining({ elementId: 'call', kind: 'calledElement', phase: 'activate', message: expect.stringContaining("no process 'child' is deployed") })]);
    expect(calls(pi)).toEqual(['started pi1-3', 'notFound 3']);
    expect(pi.children()).toEqual([]);

    await engine.deployMore(child());
    await pi.resolveIncident();
    await onlyChild(pi).completeJob('work', { done: true });

    expect(pi.variables).toEqual({ done: true });
    expect(pi.status).toBe('completed');
  });

  it('binds by version tag: a child without that tag is missing', async () => {
    const engine = await engineWith(parent(callActivity('processId="child" bindingType="versionTag" versionTag="v2"')));
    const pi = await engine.start('parent', {});
    expect(pi.incidents()[0]?.message).toContain("version tag 'v2'");
  });
});

describe('call activity: rollback', () => {
  it('a parent rolled back into a waiting call activity cancels the old child and starts a new one; the old child is stale', async () => {
    const engine = await engineWith(parent(callActivity('processId="child"'), ''));
    const pi = await engine.start('parent', {});
    const waiting = structuredClone(pi.state);
    const def = engine.definition('parent');

    const result = rollback(def, pi.state, waiting, 1, { now: engine.now });

    expect(result.effects).toEqual([
      { type: 'child.cancel', parentInstanceId: 'pi1', callId: 'pi1.2', childInstanceId: 'pi1-3' },
      expect.objectContaining({ type: 'child.start', callId: 'pi1.2', childInstanceId: 'pi1-4', processId: 'child' }),
    ]);
    expect(step(def, result.state, { type: 'completeCall', callId: 'pi1.2', childInstanceId: 'pi1-3' }, { now: 0 }).rejection?.code).toBe('INVALID_STATE');
    const next = step(def, result.state, { type: 'completeCall', callId: 'pi1.2', childInstanceId: 'pi1-4', variables: { ok: true } }, { now: 0 });
    expect(next.state.status).toBe('completed');
    expect(next.state.vars['root']).toEqual({ ok: true });
  });
});

describe('call activity: deploy', () => {
  it('refuses a call activity without a called process id, naming it', async () => {
    const result = await compileBpmn(parent('<callActivity id="call"/>'));
    expect(result.ok ? [] : result.errors).toEqual([expect.objectContaining({ elementId: 'call', message: 'a call activity needs a zeebe:calledElement with a processId' })]);
  });

  it('reads the Camunda 8 defaults and the binding', async () => {
    const result = await compileBpmn(parent(callActivity('processId="child" bindingType="versionTag" versionTag="v1"')));
    const el = result.ok ? result.processes[0]?.elements['call'] : undefined;
    const call = el?.kind === 'callActivity' ? el.call : null;
    expect(call).toEqual({ processId: 'child', bindingType: 'versionTag', versionTag: 'v1', propagateAllChildVariables: true, propagateAllParentVariables: true });
  });

  it('bindingType deployment needs the called process in the same document, and then runs that version', async () => {
    const alone = await compileBpmn(parent(callActivity('processId="child" bindingType="deployment"')));
    expect(alone.ok ? [] : alone.errors).toEqual([expect.objectContaining({ elementId: 'call', message: expect.stringContaining("called process 'child' is not in this deployment") })]);

    const together = sameDocument(parent(callActivity('processId="child" bindingType="deployment"')), child());
    const engine = await TestEngine.deploy(together);
    const pi = await engine.start('parent', {});
    await onlyChild(pi).completeJob('work');
    expect(pi.status).toBe('completed');
  });
});
