import { describe, expect, it } from 'vitest';
import { TestEngine, bpmn, escapeXml, flows, job } from '../../../../lib/testing/index.ts';
import { lifecycle, run } from '../../helpers.ts';

interface Loop {
  condition?: string;
  maximum?: number;
  testBefore?: boolean;
}

const loop = ({ condition, maximum, testBefore = false }: Loop) => `
  <standardLoopCharacteristics testBefore="${testBefore}"${maximum === undefined ? '' : ` loopMaximum="${maximum}"`}>
    ${condition ? `<loopCondition xsi:type="tFormalExpression">${escapeXml(condition)}</loopCondition>` : ''}
  </standardLoopCharacteristics>`;

const service = (spec: Loop) => `
  <startEvent id="start"/><serviceTask id="work">${job('work')}${loop(spec)}</serviceTask><endEvent id="end"/>${flows('start', 'work', 'end')}`;

describe('standard loops', () => {
  it('runs as do-while by default: the condition is checked after each iteration', async () => {
    const { pi } = await run(service({ condition: '=attempts < 3' }), { attempts: 0 });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', '+work']);
    const counters: unknown[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      counters.push(pi.jobs()[0]?.variables['loopCounter']);
      await pi.completeJob('work', { attempts: attempt });
    }

    expect(counters).toEqual([1, 2, 3]);
    expect(lifecycle(pi).slice(2)).toEqual(['+work', '+work', '-work', '+work', '-work', '+work', '-work', '-work', '+end', '-end']);
    expect(pi.status).toBe('completed');
  });

  it('with testBefore, runs no iteration when the condition is false at the start', async () => {
    const { pi } = await run(service({ condition: '=attempts < 3', testBefore: true }), { attempts: 5 });
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+work', '-work', '+end', '-end']);
    expect(pi.events.some((e) => e.type === 'JobCreated')).toBe(false);
  });

  it('with testBefore, checks before every iteration, seeing loopCounter as the iterations done', async () => {
    const { pi } = await run(service({ condition: '=loopCounter < 2', testBefore: true }));
    await pi.completeJob('work');
    await pi.completeJob('work');
    expect(lifecycle(pi).filter((e) => e === '+work')).toHaveLength(3);
    expect(pi.status).toBe('completed');
  });

  it('stops at loopMaximum even while the condition holds', async () => {
    const { pi } = await run(service({ condition: '=true', maximum: 2 }));
    await pi.completeJob('work');
    await pi.completeJob('work');
    expect(lifecycle(pi).slice(2)).toEqual(['+work', '+work', '-work', '+work', '-work', '-work', '+end', '-end']);
  });

  it('loops a subprocess, each iteration a fresh scope with its own loopCounter', async () => {
    const { pi } = await run(`
      <startEvent id="start"/>
      <subProcess id="round">${loop({ condition: '=loopCounter < 2' })}
        <startEvent id="s1"/><serviceTask id="step">${job('step')}</serviceTask><endEvent id="e1"/>${flows('s1', 'step', 'e1')}
      </subProcess>
      <endEvent id="end"/>${flows('start', 'round', 'end')}`);
    expect(pi.jobs()[0]?.variables['loopCounter']).toBe(1);
    await pi.completeJob('step');
    expect(pi.jobs()[0]?.variables['loopCounter']).toBe(2);
    await pi.completeJob('step');

    expect(lifecycle(pi)).toEqual([
      '+start', '-start', '+round', '+round', '+s1', '-s1', '+step', '-step', '+e1', '-e1', '-round',
      '+round', '+s1', '-s1', '+step', '-step', '+e1', '-e1', '-round', '-round', '+end', '-end',
    ]);
  });

  it('loops a user task until it is approved, through TestEngine with roundTrip', async () => {
    const engine = await TestEngine.deploy(bpmn(`
      <startEvent id="start"/><userTask id="review">${loop({ condition: '=not(approved)' })}</userTask><endEvent id="end"/>${flows('start', 'review', 'end')}`), { roundTrip: true });
    const pi = await engine.start('process');
    await pi.completeTask('review', { approved: false });
    await pi.completeTask('review', { approved: false });
    expect(pi.tasks()).toHaveLength(1);
    await pi.completeTask('review', { approved: true });
    expect(lifecycle(pi).filter((e) => e === '+review')).toHaveLength(4);
    expect(pi.status).toBe('completed');
  });

  it('raises an incident on the iteration when the condition is not a boolean; resolving evaluates it again', async () => {
    const { pi } = await run(service({ condition: '=attempts' }), { attempts: 0 });
    await pi.completeJob('work', { attempts: 'many' });
    expect(pi.incidents()).toEqual([expect.objectContaining({ elementId: 'work', phase: 'complete', message: expect.stringMatching(/loopCondition of 'work'.*must be a boolean/) })]);
    await pi.setVariables({ attempts: false });
    await pi.resolveIncident();
    expect(pi.status).toBe('completed');
  });

  it('a loop without a wait state and without a maximum exceeds the step budget: the command is rejected', async () => {
    const engine = await TestEngine.deploy(bpmn(`<startEvent id="start"/><task id="spin">${loop({ condition: '=true' })}</task><endEvent id="end"/>${flows('start', 'spin', 'end')}`));
    await expect(engine.start('process')).rejects.toThrow(/INVALID_STATE.*more than 10000 elements.*'spin'/);
  });

  it('is interrupted as a whole by a boundary event on the activity', async () => {
    const { engine, pi } = await run(`${service({ condition: '=true' })}
      <boundaryEvent id="late" attachedToRef="work"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
      <endEvent id="lateEnd"/>${flows('late', 'lateEnd')}`);
    await pi.completeJob('work');
    await engine.advance(60 * 60_000);
    expect(lifecycle(pi).slice(-7)).toEqual(['+work', 'xwork', 'xwork', '+late', '-late', '+lateEnd', '-lateEnd']);
    expect(pi.state.jobs).toEqual({});
  });
});

describe('deploying standard loops', () => {
  it.each([
    ['neither a condition nor a maximum', '<standardLoopCharacteristics/>', /work line \d+: a standard loop needs a loopCondition or a loopMaximum/],
    ['a condition that is not FEEL', loop({ condition: 'attempts < 3' }), /work line \d+: standard loop loopCondition 'attempts < 3' must be FEEL/],
    ['a maximum below 1', loop({ maximum: 0 }), /work line \d+: standard loop loopMaximum '0' must be a whole number of at least 1/],
  ])('refuses %s, naming the element', async (_, characteristics, why) => {
    const xml = bpmn(`<startEvent id="start"/><serviceTask id="work">${job('work')}${characteristics}</serviceTask><endEvent id="end"/>${flows('start', 'work', 'end')}`);
    await expect(TestEngine.deploy(xml)).rejects.toThrow(why);
  });
});
