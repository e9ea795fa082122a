import { describe, expect, it } from 'vitest';
import { flows, job } from '../../../../lib/testing/index.ts';
import { lifecycle, run } from '../../helpers.ts';

interface Loop {
  sequential?: boolean;
  output?: [string, string];
  condition?: string;
  element?: string | null;
}

/** `<multiInstanceLoopCharacteristics>` over `=items`, item variable `item` unless told. */
const mi = ({ sequential = false, output, condition, element = 'item' }: Loop = {}) => `
  <multiInstanceLoopCharacteristics isSequential="${sequential}">
    <extensionElements><zeebe:loopCharacteristics inputCollection="=items"${element ? ` inputElement="${element}"` : ''}${output ? ` outputCollection="${output[0]}" outputElement="${output[1]}"` : ''}/></extensionElements>
    ${condition ? `<completionCondition>${condition}</completionCondition>` : ''}
  </multiInstanceLoopCharacteristics>`;

const service = (loop: Loop = {}, extra = '') => `
  <startEvent id="start"/><serviceTask id="work">${job('work', 3, extra)}${mi(loop)}</serviceTask><endEvent id="end"/>${flows('start', 'work', 'end')}`;

const jobItems = (pi: Awaited<ReturnType<typeof run>>['pi']) => pi.jobs().map((j) => [j.variables['item'], j.variables['loopCounter']]);

describe('parallel multi-instance', () => {
  it('activates one inner instance per item at once, each with its item and loop counter', async () => {
    const { pi } = await run(service(), { items: ['a', 'b', 'c'] });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', '+work', '+work', '+work']);
    expect(pi.events.filter((e) => e.type.startsWith('Loop'))).toEqual([
      { type: 'LoopStarted', key: '2', total: 3 },
      { type: 'LoopItemActivated', key: '2', inner: '3', index: 0 },
      { type: 'LoopItemActivated', key: '2', inner: '5', index: 1 },
      { type: 'LoopItemActivated', key: '2', inner: '7', index: 2 },
    ]);
    expect(jobItems(pi)).toEqual([['a', 1], ['b', 2], ['c', 3]]);
  });

  it('completes after the last inner instance and collects outputs in item order', async () => {
    const { pi } = await run(service({ output: ['results', '=result'] }), { items: [1, 2, 3] });
    const [first, second, third] = pi.jobs().map((j) => j.jobId);
    await pi.send({ type: 'completeJob', jobId: third as string, variables: { result: 'r3' } });
    await pi.send({ type: 'completeJob', jobId: first as string, variables: { result: 'r1' } });
    expect(pi.status).toBe('active');
    await pi.send({ type: 'completeJob', jobId: second as string, variables: { result: 'r2' } });
    expect(lifecycle(pi).slice(6)).toEqual(['-work', '-work', '-work', '-work', '+end', '-end']);
    expect(pi.status).toBe('completed');
    expect(pi.variables['results']).toEqual(['r1', 'r2', 'r3']);
  });

  it('completes at once, with an empty output collection, over an empty list', async () => {
    const { pi } = await run(service({ output: ['results', '=result'] }), { items: [] });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', '-work', '+end', '-end']);
    expect(pi.variables['results']).toEqual([]);
  });

  it('ends early when the completion condition holds, terminating the other inner instances', async () => {
    const { pi } = await run(service({ condition: '=nrOfCompletedInstances >= 2' }), { items: [1, 2, 3] });
    await pi.completeJob('work');
    await pi.completeJob('work');
    expect(lifecycle(pi).slice(6)).toEqual(['-work', '-work', 'xwork', '-work', '+end', '-end']);
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'job.closed', reason: 'canceled' }));
    expect(pi.status).toBe('completed');
  });

  it('applies input and output mappings to each inner instance', async () => {
    const io = '<zeebe:ioMapping><zeebe:input source="=item * 10" target="scaled"/><zeebe:output source="=scaled + 1" target="last"/></zeebe:ioMapping>';
    const { pi } = await run(service({ output: ['all', '=scaled'] }, io), { items: [1, 2] });
    expect(pi.jobs().map((j) => j.variables['scaled'])).toEqual([10, 20]);
    await pi.completeJob('work');
    await pi.completeJob('work');
    expect(pi.variables).toEqual({ items: [1, 2], last: 21, all: [10, 20] });
  });

  it('collects every output of a 1,000-item fan-out, with small events per completion', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const { pi } = await run(service({ output: ['results', '=result'] }), { items });
    const jobs = pi.jobs().map((j) => [j.jobId, j.variables['item']] as const);
    expect(jobs).toHaveLength(1000);
    for (const [jobId, item] of jobs.reverse()) {
      const { events } = await pi.send({ type: 'completeJob', jobId, variables: { result: Number(item) * 2 } });
      if (item !== 0) expect(JSON.stringify(events).length).toBeLessThan(1000);
    }
    expect(pi.status).toBe('completed');
    expect(pi.variables['results']).toEqual(items.map((i) => i * 2));
    expect(pi.state.loops).toEqual({});
  });

  it('raises an incident when the input collection is not a list', async () => {
    const { pi } = await run(service(), { items: 'abc' });
    expect(pi.incidents()).toEqual([expect.objectContaining({ elementId: 'work', kind: 'expression', message: expect.stringMatching(/inputCollection of 'work' must be a list/) })]);
    await pi.setVariables({ items: ['x'] });
    await pi.resolveIncident();
    expect(jobItems(pi)).toEqual([['x', 1]]);
  });

  it('is interrupted as a whole by a boundary event on the activity', async () => {
    const { engine, pi } = await run(`${service()}
      <boundaryEvent id="late" attachedToRef="work"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
      <endEvent id="lateEnd"/>${flows('late', 'lateEnd')}`, { items: [1, 2] });
    expect(Object.keys(pi.state.timers)).toHaveLength(1);
    await engine.advance(60 * 60_000);
    expect(lifecycle(pi).slice(5)).toEqual(['xwork', 'xwork', 'xwork', '+late', '-late', '+lateEnd', '-lateEnd']);
    expect(pi.state.jobs).toEqual({});
    expect(pi.status).toBe('completed');
  });

  it('lets an error thrown by an inner job reach the boundary event of the body', async () => {
    const { pi } = await run(`${service()}
      <boundaryEvent id="failed" attachedToRef="work"><errorEventDefinition/></boundaryEvent>
      <endEvent id="failedEnd"/>${flows('failed', 'failedEnd')}`, { items: [1, 2] });
    await pi.throwError('work', 'BOOM');
    expect(lifecycle(pi).slice(5)).toEqual(['xwork', 'xwork', 'xwork', '+failed', '-failed', '+failedEnd', '-failedEnd']);
  });
});

describe('sequential multi-instance', () => {
  it('runs one inner instance after the other, in item order', async () => {
    const { pi } = await run(service({ sequential: true, output: ['results', '=result'] }), { items: ['a', 'b'] });
    expect(jobItems(pi)).toEqual([['a', 1]]);
    await pi.completeJob('work', { result: 'A' });
    expect(jobItems(pi)).toEqual([['b', 2]]);
    await pi.completeJob('work', { result: 'B' });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', '+work', '-work', '+work', '-work', '-work', '+end', '-end']);
    expect(pi.variables['results']).toEqual(['A', 'B']);
  });

  it('stops at the completion condition and fills outputs of items never run with null', async () => {
    const { pi } = await run(service({ sequential: true, output: ['results', '=result'], condition: '=result = "found"' }), { items: [1, 2, 3] });
    await pi.completeJob('work', { result: 'no' });
    await pi.completeJob('work', { result: 'found' });
    expect(pi.status).toBe('completed');
    expect(pi.variables['results']).toEqual(['no', 'found', null]);
  });

  it('raises an incident on the inner instance when the completion condition is not a boolean', async () => {
    const { pi } = await run(service({ sequential: true, condition: '=items' }), { items: [1, 2] });
    await pi.completeJob('work');
    expect(pi.incidents()).toEqual([expect.objectContaining({ elementId: 'work', message: expect.stringMatching(/completionCondition of 'work': must be a boolean/) })]);
  });
});

describe('multi-instance subprocess', () => {
  it('runs the subprocess once per item, each with its own local item', async () => {
    const { pi } = await run(`
      <startEvent id="start"/>
      <subProcess id="sub">${mi({ output: ['done', '=item'] })}
        <startEvent id="s1"/><userTask id="review"/><endEvent id="e1"/>${flows('s1', 'review', 'e1')}
      </subProcess>
      <endEvent id="end"/>${flows('start', 'sub', 'end')}`, { items: ['x', 'y'] });
    expect(pi.tasks().map((t) => t.variables['item'])).toEqual(['x', 'y']);
    await pi.completeTask(pi.tasks()[1]?.taskId as string);
    await pi.completeTask(pi.tasks()[0]?.taskId as string);
    expect(pi.status).toBe('completed');
    expect(pi.variables).toEqual({ items: ['x', 'y'], done: ['x', 'y'] });
    expect(lifecycle(pi).filter((e) => e === '-sub')).toHaveLength(3);
  });
});
