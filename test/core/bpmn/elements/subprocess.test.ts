import { describe, expect, it } from 'vitest';
import { flows, job } from '../../../../lib/testing/index.ts';
import { lifecycle, run } from '../../helpers.ts';

const io = (inputs: Array<[string, string]>, outputs: Array<[string, string]> = []) =>
  `<zeebe:ioMapping>${inputs.map(([s, t]) => `<zeebe:input source="${s}" target="${t}"/>`).join('')}${outputs.map(([s, t]) => `<zeebe:output source="${s}" target="${t}"/>`).join('')}</zeebe:ioMapping>`;

describe('embedded subprocess', () => {
  it('runs its inner flow and then continues after itself', async () => {
    const { pi } = await run(`
      <startEvent id="start"/>
      <subProcess id="sub"><startEvent id="s1"/><serviceTask id="inner">${job('inner')}</serviceTask><endEvent id="e1"/>${flows('s1', 'inner', 'e1')}</subProcess>
      <endEvent id="end"/>${flows('start', 'sub', 'end')}`);
    expect(pi.activeElements()).toEqual(['inner', 'sub']);
    await pi.completeJob('inner');
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+sub', '+s1', '-s1', '+inner', '-inner', '+e1', '-e1', '-sub', '+end', '-end']);
    expect(pi.status).toBe('completed');
  });

  it('keeps input-mapped variables local to the subprocess and drops them at its end', async () => {
    const { pi } = await run(`
      <startEvent id="start"/>
      <subProcess id="sub"><extensionElements>${io([['=order.id', 'localId']])}</extensionElements>
        <startEvent id="s1"/><serviceTask id="inner">${job('inner')}</serviceTask><endEvent id="e1"/>${flows('s1', 'inner', 'e1')}
      </subProcess>
      <endEvent id="end"/>${flows('start', 'sub', 'end')}`, { order: { id: 'o1' } });
    expect(pi.jobs()[0]?.variables).toEqual({ order: { id: 'o1' }, localId: 'o1' });
    await pi.completeJob('inner', { localId: 'changed', fresh: 1 });
    expect(pi.variables).toEqual({ order: { id: 'o1' }, fresh: 1 });
  });

  it('propagates job variables to the nearest scope that has them, else to the root', async () => {
    const { pi } = await run(`
      <startEvent id="start"/>
      <subProcess id="sub"><extensionElements>${io([['=0', 'counter']], [['=counter', 'finalCount']])}</extensionElements>
        <startEvent id="s1"/><serviceTask id="inner">${job('inner')}</serviceTask><endEvent id="e1"/>${flows('s1', 'inner', 'e1')}
      </subProcess>
      <endEvent id="end"/>${flows('start', 'sub', 'end')}`);
    await pi.completeJob('inner', { counter: 5, other: 'x' });
    expect(pi.variables).toEqual({ other: 'x', finalCount: 5 });
  });

  it('is interrupted by a boundary event together with everything inside it', async () => {
    const { engine, pi } = await run(`
      <startEvent id="start"/>
      <subProcess id="sub"><startEvent id="s1"/><userTask id="inner"/><endEvent id="e1"/>${flows('s1', 'inner', 'e1')}</subProcess>
      <boundaryEvent id="late" attachedToRef="sub"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></boundaryEvent>
      <endEvent id="end"/><endEvent id="lateEnd"/>${flows('start', 'sub', 'end')}${flows('late', 'lateEnd')}`);
    await engine.advance(24 * 60 * 60_000);
    expect(lifecycle(pi)).toEqual(expect.arrayContaining(['xinner', 'xsub', '+late', '+lateEnd']));
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'task.closed', reason: 'canceled' }));
    expect(pi.status).toBe('completed');
  });

  it('applies dotted output targets as nested variables', async () => {
    const { pi } = await run(`
      <startEvent id="start"/><serviceTask id="work"><extensionElements><zeebe:taskDefinition type="work"/>${io([], [['=score', 'result.credit.score']])}</extensionElements></serviceTask>
      <endEvent id="end"/>${flows('start', 'work', 'end')}`);
    await pi.completeJob('work', { score: 710 });
    expect(pi.variables).toEqual({ result: { credit: { score: 710 } } });
  });
});
