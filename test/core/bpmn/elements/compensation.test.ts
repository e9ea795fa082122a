import { describe, expect, it } from 'vitest';
import { bpmn, flows, job, TestEngine } from '../../../../lib/testing/index.ts';
import type { TestInstance } from '../../../../lib/testing/index.ts';
import { rollback } from '../../../../lib/core/bpmn/rollback.ts';
import { step } from '../../../../lib/core/step.ts';
import { lifecycle, refusal, run } from '../../helpers.ts';

/** A compensation boundary event on `activity`, associated with `handler` (markup of an activity with isForCompensation). */
const undo = (activity: string, handler: string) => {
  const id = /id="([^"]+)"/.exec(handler)?.[1] ?? '';
  return `${handler}<boundaryEvent id="${activity}Comp" attachedToRef="${activity}"><compensateEventDefinition/></boundaryEvent>
    <association id="${activity}-${id}" associationDirection="One" sourceRef="${activity}Comp" targetRef="${id}"/>`;
};
/** A plain task `id` with a plain task handler `undo<Id>`. */
const task = (id: string) => `<task id="${id}"/>${undo(id, `<task id="undo${id}" isForCompensation="true"/>`)}`;
const throwAll = (id = 'throw', attrs = '') => `<intermediateThrowEvent id="${id}"><compensateEventDefinition${attrs}/></intermediateThrowEvent>`;

/** The element ids whose compensation handlers were started, in order. */
const compensated = (pi: TestInstance) => pi.events.flatMap((e) => (e.type === 'CompensationHandlerActivated' ? [e.activityId] : []));

describe('compensation', () => {
  it('compensates every completed activity of the scope in reverse completion order, then continues', async () => {
    const { pi } = await run(`<startEvent id="start"/>${task('A')}${task('B')}${throwAll()}<endEvent id="end"/>${flows('start', 'A', 'B', 'throw', 'end')}`);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+A', '-A', '+B', '-B', '+throw', '+undoB', '+undoA', '-undoB', '-undoA', '-throw', '+end', '-end']);
    expect(pi.events.filter((e) => e.type.startsWith('Compensation')).map((e) => e.type)).toEqual([
      'CompensationThrown', 'CompensationHandlerActivated', 'CompensationHandlerActivated',
      'CompensationHandlerCompleted', 'CompensationHandlerCompleted', 'CompensationCompleted',
    ]);
    expect(pi.status).toBe('completed');
    expect(pi.state.compensables).toBeUndefined();
  });

  it('compensates only the activity named by activityRef', async () => {
    const { pi } = await run(`<startEvent id="start"/>${task('A')}${task('B')}${throwAll('throw', ' activityRef="A"')}<userTask id="wait"/>${flows('start', 'A', 'B', 'throw', 'wait')}`);
    expect(compensated(pi)).toEqual(['A']);
    expect(Object.values(pi.state.compensables ?? {}).map((r) => r.elementId)).toEqual(['B']);
  });

  it('waits for a user task handler and a service task handler, which start with the snapshot of the local variables', async () => {
    const engine = await TestEngine.deploy(bpmn(`<startEvent id="start"/>
      <serviceTask id="book"><extensionElements><zeebe:taskDefinition type="book"/><zeebe:ioMapping><zeebe:input source="=order" target="ref"/></zeebe:ioMapping></extensionElements></serviceTask>
      ${undo('book', `<serviceTask id="unbook" isForCompensation="true">${job('unbook')}</serviceTask>`)}
      <task id="charge"/>${undo('charge', '<userTask id="refund" isForCompensation="true"/>')}
      ${throwAll()}<endEvent id="end"/>${flows('start', 'book', 'charge', 'throw', 'end')}`), { roundTrip: true });
    const pi = await engine.start('process', { order: 'o-1' });
    await pi.completeJob('book');
    expect(pi.activeElements()).toEqual(['refund', 'throw', 'unbook']);
    expect(pi.jobs('unbook')[0]?.variables).toEqual({ order: 'o-1', ref: 'o-1' });
    await pi.completeTask('refund');
    expect(pi.activeElements()).toEqual(['throw', 'unbook']);
    await pi.completeJob('unbook');
    expect(lifecycle(pi).slice(-5)).toEqual(['-refund', '-unbook', '-throw', '+end', '-end']);
    expect(pi.status).toBe('completed');
  });

  it('with waitForCompletion="false" continues at once, and the instance ends only after the handlers', async () => {
    const { pi } = await run(`<startEvent id="start"/><task id="A"/>${undo('A', `<serviceTask id="undoA" isForCompensation="true">${job('undo')}</serviceTask>`)}
      ${throwAll('throw', ' waitForCompletion="false"')}<endEvent id="end"/>${flows('start', 'A', 'throw', 'end')}`);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+A', '-A', '+throw', '+undoA', '-throw', '+end', '-end']);
    expect(pi.status).toBe('active');
    await pi.completeJob('undo');
    expect(pi.status).toBe('completed');
  });

  it('a compensation end event waits for the handlers, then ends its token', async () => {
    const { pi } = await run(`<startEvent id="start"/>${task('A')}<endEvent id="end"><compensateEventDefinition/></endEvent>${flows('start', 'A', 'end')}`);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+A', '-A', '+end', '+undoA', '-undoA', '-end']);
    expect(pi.status).toBe('completed');
  });

  it('thrown inside a subprocess, compensates only that subprocess', async () => {
    const { pi } = await run(`<startEvent id="start"/>${task('A')}
      <subProcess id="sub"><startEvent id="s1"/>${task('B')}${throwAll()}<endEvent id="e1"/>${flows('s1', 'B', 'throw', 'e1')}</subProcess>
      <userTask id="wait"/>${flows('start', 'A', 'sub', 'wait')}`);
    expect(compensated(pi)).toEqual(['B']);
    expect(Object.values(pi.state.compensables ?? {}).map((r) => r.elementId)).toEqual(['A']);
  });

  it('reaches inside completed subprocesses: their activities first (newest first), then their own handler', async () => {
    const sub = `<subProcess id="sub"><startEvent id="s1"/>${task('B')}${task('C')}<endEvent id="e1"/>${flows('s1', 'B', 'C', 'e1')}</subProcess>`;
    const { pi } = await run(`<startEvent id="start"/>${sub}${undo('sub', '<task id="undosub" isForCompensation="true"/>')}${task('A')}
      ${throwAll()}<endEvent id="end"/>${flows('start', 'sub', 'A', 'throw', 'end')}`);
    expect(compensated(pi)).toEqual(['A', 'C', 'B', 'sub']);
    expect(pi.status).toBe('completed');
  });

  it('runs the handler once per completed instance of a multi-instance activity, each with its item', async () => {
    const loop = '<multiInstanceLoopCharacteristics><extensionElements><zeebe:loopCharacteristics inputCollection="=[1, 2, 3]" inputElement="item"/></extensionElements></multiInstanceLoopCharacteristics>';
    const { pi } = await run(`<startEvent id="start"/><task id="A">${loop}</task>${undo('A', `<serviceTask id="undoA" isForCompensation="true">${job('undo')}</serviceTask>`)}
      ${throwAll()}<endEvent id="end"/>${flows('start', 'A', 'throw', 'end')}`);
    expect(pi.jobs('undo').map((j) => j.variables['item'])).toEqual([3, 2, 1]);
    for (let i = 0; i < 3; i++) await pi.completeJob('undo');
    expect(pi.status).toBe('completed');
  });

  it('runs a subprocess as a handler, which the throw event waits for', async () => {
    const handler = `<subProcess id="undoA" isForCompensation="true"><startEvent id="u1"/><serviceTask id="u2">${job('undo')}</serviceTask><endEvent id="u3"/>${flows('u1', 'u2', 'u3')}</subProcess>`;
    const { pi } = await run(`<startEvent id="start"/><task id="A"/>${undo('A', handler)}${throwAll()}<endEvent id="end"/>${flows('start', 'A', 'throw', 'end')}`);
    expect(pi.activeElements()).toEqual(['throw', 'u2', 'undoA']);
    await pi.completeJob('undo');
    expect(lifecycle(pi).slice(-7)).toEqual(['-u2', '+u3', '-u3', '-undoA', '-throw', '+end', '-end']);
  });

  it('with activityRef on a completed subprocess, compensates the activities inside it', async () => {
    const { pi } = await run(`<startEvent id="start"/>
      <subProcess id="sub"><startEvent id="s1"/>${task('B')}<endEvent id="e1"/>${flows('s1', 'B', 'e1')}</subProcess>
      ${task('A')}${throwAll('throw', ' activityRef="sub"')}<userTask id="wait"/>${flows('start', 'sub', 'A', 'throw', 'wait')}`);
    expect(compensated(pi)).toEqual(['B']);
    expect(Object.values(pi.state.compensables ?? {}).map((r) => r.elementId)).toEqual(['A']);
  });

  it('does not compensate an activity twice', async () => {
    const { pi } = await run(`<startEvent id="start"/>${task('A')}${throwAll('first')}${throwAll('second')}<endEvent id="end"/>${flows('start', 'A', 'first', 'second', 'end')}`);
    expect(compensated(pi)).toEqual(['A']);
    expect(pi.events.filter((e) => e.type === 'CompensationThrown').map((e) => 'records' in e && e.records.length)).toEqual([1, 0]);
    expect(pi.status).toBe('completed');
  });

  it('does not compensate activities that were terminated, nor those inside a terminated subprocess', async () => {
    const { engine, pi } = await run(`<startEvent id="start"/>
      <subProcess id="sub"><startEvent id="s1"/>${task('B')}<userTask id="work"/>${undo('work', '<task id="undowork" isForCompensation="true"/>')}<endEvent id="e1"/>${flows('s1', 'B', 'work', 'e1')}</subProcess>
      <boundaryEvent id="late" attachedToRef="sub"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
      ${throwAll()}<endEvent id="end"/><endEvent id="done"/>${flows('start', 'sub', 'done')}${flows('late', 'throw', 'end')}`);
    expect(Object.keys(pi.state.compensables ?? {})).toHaveLength(1);
    await engine.advance(60 * 60_000);
    expect(lifecycle(pi)).toEqual(expect.arrayContaining(['xwork', 'xsub', '+throw', '-throw']));
    expect(compensated(pi)).toEqual([]);
    expect(pi.status).toBe('completed');
  });

  it('keeps records of a completed subprocess only while they can be reached', async () => {
    const { pi } = await run(`<startEvent id="start"/>
      <subProcess id="sub"><startEvent id="s1"/>${task('B')}<endEvent id="e1"/>${flows('s1', 'B', 'e1')}</subProcess>
      <userTask id="wait"/>${flows('start', 'sub', 'wait')}`);
    const records = Object.values(pi.state.compensables ?? {});
    expect(records.map((r) => [r.elementId, r.handler])).toEqual([['B', true], ['sub', false]]);
    expect(records[0]?.scope).toBe(records[1]?.ei);
    await pi.completeTask('wait');
    expect(pi.state.compensables).toBeUndefined();
  });
});

describe('compensation with other features', () => {
  it('thrown in an error event subprocess, compensates the scope the event subprocess interrupted', async () => {
    const { pi } = await run(`<startEvent id="start"/>${task('A')}<serviceTask id="B">${job('b')}</serviceTask><endEvent id="end"/>${flows('start', 'A', 'B', 'end')}
      <subProcess id="onError" triggeredByEvent="true"><startEvent id="es"><errorEventDefinition errorRef="err"/></startEvent>${throwAll()}<endEvent id="ee"/>${flows('es', 'throw', 'ee')}</subProcess>`,
    {}, '<error id="err" errorCode="FAIL"/>');
    await pi.throwError('b', 'FAIL');
    expect(lifecycle(pi).slice(-11)).toEqual(['xB', '+onError', '+es', '-es', '+throw', '+undoA', '-undoA', '-throw', '+ee', '-ee', '-onError']);
    expect(pi.status).toBe('completed');
  });

  it('survives a rollback: the records come back and compensation runs again', async () => {
    const engine = await TestEngine.deploy(bpmn(`<startEvent id="start"/><task id="A"/>${undo('A', `<serviceTask id="undoA" isForCompensation="true">${job('undo')}</serviceTask>`)}
      <userTask id="wait"/>${throwAll()}<endEvent id="end"/>${flows('start', 'A', 'wait', 'throw', 'end')}`));
    const pi = await engine.start('process');
    const before = structuredClone(pi.state);
    await pi.completeTask('wait');
    expect(pi.state.compensables).toBeUndefined();
    expect(Object.values(pi.state.compensations ?? {}).map((c) => c.handlers.length)).toEqual([1]);
    const definition = engine.definition('process');

    const back = rollback(definition, pi.state, before, 1, { now: engine.now });

    expect(back.state.compensables).toEqual(before.compensables);
    expect(back.state.compensations).toBeUndefined();
    expect(back.effects.map((e) => e.type)).toEqual(['job.closed', 'task.created']);
    const taskId = back.effects.find((e) => e.type === 'task.created')?.taskId ?? '';
    const again = step(definition, back.state, { type: 'completeTask', taskId }, { now: engine.now });
    expect(again.events).toContainEqual(expect.objectContaining({ type: 'CompensationHandlerActivated', activityId: 'A' }));
  });
});

describe('compensation event subprocesses', () => {
  /** An embedded subprocess `sub` running B then C (each with a task handler), holding a compensation event subprocess `onComp` whose body is `inside` (between cs and ce). */
  const sub = (inside: string, ids: string[], attrs = '') => `<subProcess id="sub"${attrs}><startEvent id="s1"/>${task('B')}${task('C')}<endEvent id="e1"/>${flows('s1', 'B', 'C', 'e1')}
    <subProcess id="onComp" triggeredByEvent="true"><startEvent id="cs"><compensateEventDefinition/></startEvent>${inside}<endEvent id="ce"/>${flows('cs', ...ids, 'ce')}</subProcess>
  </subProcess>`;

  it('runs instead of the handlers of the activities inside the completed subprocess', async () => {
    const { pi } = await run(`<startEvent id="start"/>${sub('<task id="log"/>', ['log'])}${throwAll()}<endEvent id="end"/>${flows('start', 'sub', 'throw', 'end')}`);
    expect(lifecycle(pi).slice(-14)).toEqual(['-e1', '-sub', '+throw', '+onComp', '+cs', '-cs', '+log', '-log', '+ce', '-ce', '-onComp', '-throw', '+end', '-end']);
    const handler = pi.events.find((e) => e.type === 'CompensationHandlerActivated');
    const activated = pi.events.find((e) => e.type === 'ElementActivated' && e.elementId === 'onComp');
    expect(handler).toEqual(expect.objectContaining({ activityId: 'sub', handler: activated && 'key' in activated ? activated.key : '' }));
    expect(pi.events.filter((e) => e.type === 'CompensationThrown').map((e) => 'records' in e && e.records.length)).toEqual([1]);
    expect(compensated(pi)).toEqual(['sub']);
    expect(pi.status).toBe('completed');
    expect(pi.state.compensables).toBeUndefined();
  });

  it('compensates the activities inside the subprocess, newest first, with a compensation throw event', async () => {
    const { pi } = await run(`<startEvent id="start"/>${sub(throwAll('inner'), ['inner'])}${throwAll()}<endEvent id="end"/>${flows('start', 'sub', 'throw', 'end')}`);
    expect(compensated(pi)).toEqual(['sub', 'C', 'B']);
    expect(lifecycle(pi).slice(-16)).toEqual(['+throw', '+onComp', '+cs', '-cs', '+inner', '+undoC', '+undoB', '-undoC', '-undoB', '-inner', '+ce', '-ce', '-onComp', '-throw', '+end', '-end']);
    expect(pi.status).toBe('completed');
  });

  it('compensates only the inner activity named by activityRef', async () => {
    const { pi } = await run(`<startEvent id="start"/>${sub(throwAll('inner', ' activityRef="B"'), ['inner'])}${throwAll()}<endEvent id="end"/>${flows('start', 'sub', 'throw', 'end')}`);
    expect(compensated(pi)).toEqual(['sub', 'B']);
    expect(pi.status).toBe('completed');
  });

  it('leaves the activities inside uncompensated when it throws nothing', async () => {
    const { pi } = await run(`<startEvent id="start"/>${sub('<task id="log"/>', ['log'])}${throwAll('first')}${throwAll('second')}<userTask id="wait"/>${flows('start', 'sub', 'first', 'second', 'wait')}`);
    expect(compensated(pi)).toEqual(['sub']);
    expect(pi.events.filter((e) => e.type === 'CompensationThrown').map((e) => 'records' in e && e.records.length)).toEqual([1, 0]);
    expect(pi.state.compensables).toBeUndefined();
  });

  it('sees the local variables of the subprocess as they were when it completed', async () => {
    const input = '<extensionElements><zeebe:ioMapping><zeebe:input source="=order" target="ref"/></zeebe:ioMapping></extensionElements>';
    const { pi } = await run(`<startEvent id="start"/>${sub(`<serviceTask id="undo">${job('undo')}</serviceTask>`, ['undo']).replace('<startEvent id="s1"/>', `${input}<startEvent id="s1"/>`)}
      ${throwAll()}<endEvent id="end"/>${flows('start', 'sub', 'throw', 'end')}`, { order: 'o-1' });
    expect(pi.state.vars['root']?.['ref']).toBeUndefined();
    expect(pi.jobs('undo')[0]?.variables).toEqual({ order: 'o-1', ref: 'o-1' });
    await pi.completeJob('undo');
    expect(pi.status).toBe('completed');
  });

  it('runs once per completed instance of a multi-instance subprocess, newest first, each with its item', async () => {
    const loop = '<multiInstanceLoopCharacteristics><extensionElements><zeebe:loopCharacteristics inputCollection="=[1, 2]" inputElement="item"/></extensionElements></multiInstanceLoopCharacteristics>';
    const { pi } = await run(`<startEvent id="start"/>${sub(`<serviceTask id="undo">${job('undo')}</serviceTask>`, ['undo']).replace('<startEvent id="s1"/>', `${loop}<startEvent id="s1"/>`)}
      ${throwAll()}<endEvent id="end"/>${flows('start', 'sub', 'throw', 'end')}`);
    expect(pi.jobs('undo').map((j) => j.variables['item'])).toEqual([2, 1]);
    expect(compensated(pi)).toEqual(['sub', 'sub']);
    await pi.completeJob('undo');
    await pi.completeJob('undo');
    expect(pi.status).toBe('completed');
  });

  it('does not run for a subprocess that never completed', async () => {
    const { engine, pi } = await run(`<startEvent id="start"/>${sub('<task id="log"/>', ['log']).replace('<endEvent id="e1"/>', '<userTask id="work"/><endEvent id="e1"/>').replace(flows('s1', 'B', 'C', 'e1'), flows('s1', 'B', 'C', 'work', 'e1'))}
      <boundaryEvent id="late" attachedToRef="sub"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
      ${throwAll()}<endEvent id="end"/><endEvent id="done"/>${flows('start', 'sub', 'done')}${flows('late', 'throw', 'end')}`);
    await engine.advance(60 * 60_000);
    expect(lifecycle(pi)).toEqual(expect.arrayContaining(['xwork', 'xsub', '+throw', '-throw']));
    expect(lifecycle(pi)).not.toContain('+onComp');
    expect(compensated(pi)).toEqual([]);
    expect(pi.status).toBe('completed');
  });
});

describe('compensation at deploy', () => {
  it('refuses a compensation boundary event without an associated handler', async () => {
    const message = await refusal(`<startEvent id="start"/><task id="A"/><boundaryEvent id="AComp" attachedToRef="A"><compensateEventDefinition/></boundaryEvent>
      <endEvent id="end"/>${flows('start', 'A', 'end')}`);
    expect(message).toContain('AComp: a compensation boundary event needs an association to exactly one compensation handler');
  });

  it('refuses a compensation handler with sequence flows', async () => {
    const message = await refusal(`<startEvent id="start"/>${task('A')}<endEvent id="end"/>${flows('start', 'A', 'end')}${flows('undoA', 'end')}`);
    expect(message).toContain('undoA: a compensation handler (isForCompensation) cannot have incoming or outgoing sequence flows');
  });

  it('refuses an activityRef that is not a compensable activity of the same scope', async () => {
    const message = await refusal(`<startEvent id="start"/><task id="A"/>${throwAll('throw', ' activityRef="A"')}<endEvent id="end"/>${flows('start', 'A', 'throw', 'end')}`);
    expect(message).toContain("throw: activityRef 'A' must be an activity of the same scope");
  });

  const esp = '<subProcess id="esp" triggeredByEvent="true"><startEvent id="es"><compensateEventDefinition/></startEvent><endEvent id="ee"/><sequenceFlow id="es-ee" sourceRef="es" targetRef="ee"/></subProcess>';
  const inside = (tag: string, attrs = '') => `<startEvent id="start"/><${tag} id="sub"${attrs}><startEvent id="s1"/><endEvent id="e1"/>${flows('s1', 'e1')}${esp}</${tag}>
    <endEvent id="end"/>${flows('start', 'sub', 'end')}`;

  it('refuses a compensation event subprocess at process level', async () => {
    const message = await refusal(`<startEvent id="start"/><endEvent id="end"/>${flows('start', 'end')}${esp}`);
    expect(message).toBe('es: a compensation start event is only supported in an event subprocess of an embedded subprocess, not of the process');
  });

  it('refuses a compensation event subprocess in a transaction', async () => {
    const message = await refusal(inside('transaction'));
    expect(message).toBe("es: a compensation start event is only supported in an event subprocess of an embedded subprocess, not of transaction 'sub'");
  });

  it('refuses a compensation start event outside an event subprocess', async () => {
    const message = await refusal(`<startEvent id="start"><compensateEventDefinition/></startEvent><endEvent id="end"/>${flows('start', 'end')}`);
    expect(message).toBe('start: a compensation startEvent is not supported outside an event subprocess of an embedded subprocess');
  });

  it('refuses a subprocess with both a compensation boundary event and a compensation event subprocess', async () => {
    const message = await refusal(`${inside('subProcess')}${undo('sub', '<task id="undosub" isForCompensation="true"/>')}`);
    expect(message).toBe("es: subprocess 'sub' already has a compensation handler (a compensation boundary event or another compensation event subprocess)");
  });

  it('deploys a compensation event subprocess of an embedded subprocess', async () => {
    expect(await refusal(inside('subProcess'))).toBe('deployed');
  });
});
