import { describe, expect, it } from 'vitest';
import { step } from '../../lib/core/step.ts';
import { TestEngine, bpmn, flows, job } from '../../lib/testing/index.ts';
import { lifecycle, run } from './helpers.ts';

const model = `<startEvent id="start"/><serviceTask id="work">${job('work')}</serviceTask><userTask id="review"/><endEvent id="end"/>${flows('start', 'work', 'review', 'end')}`;

describe('step: commands that no longer apply are rejections, not errors', () => {
  it('completing a job twice: the second is NOT_FOUND and changes nothing', async () => {
    const { pi } = await run(model);
    const jobId = pi.jobs()[0]?.jobId ?? '';
    await pi.completeJob(jobId);
    const before = JSON.stringify(pi.state);
    const second = await pi.send({ type: 'completeJob', jobId });
    expect(second.rejection).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining(jobId) });
    expect(second.events).toEqual([]);
    expect(JSON.stringify(pi.state)).toBe(before);
  });

  it('a command that is not idempotent by nature, sent again with its id, is a DUPLICATE and changes nothing', async () => {
    const { pi } = await run(model);
    const clock = { now: 0 };
    const once = step(pi.definition, pi.state, { type: 'setVariables', variables: { n: 1 } }, clock, { commandId: 'vars-1' });
    expect(once.rejection).toBeUndefined();
    const again = step(pi.definition, once.state, { type: 'setVariables', variables: { n: 1 } }, clock, { commandId: 'vars-1' });
    expect(again.rejection?.code).toBe('DUPLICATE');
    expect(again.events).toEqual([]);
    expect(step(pi.definition, once.state, { type: 'setVariables', variables: { n: 2 } }, clock, { commandId: 'vars-2' }).rejection).toBeUndefined();
  });

  it('an id of another instance is NOT_FOUND', async () => {
    const { pi } = await run(model);
    expect((await pi.send({ type: 'completeJob', jobId: 'other.3' })).rejection?.code).toBe('NOT_FOUND');
    expect((await pi.send({ type: 'completeTask', taskId: 'garbage' })).rejection?.code).toBe('NOT_FOUND');
    expect((await pi.send({ type: 'resolveIncident', incidentId: `${pi.id}.99` })).rejection?.code).toBe('NOT_FOUND');
    expect((await pi.send({ type: 'fireTimer', timerId: `${pi.id}.1` })).rejection?.code).toBe('NOT_FOUND');
  });

  it('commands to a finished instance are INVALID_STATE', async () => {
    const { pi } = await run(model);
    await pi.cancel();
    expect((await pi.send({ type: 'completeJob', jobId: `${pi.id}.3` })).rejection?.code).toBe('INVALID_STATE');
    expect((await pi.send({ type: 'cancel' })).rejection?.code).toBe('INVALID_STATE');
  });

  it('variables that are not a JSON object are INVALID_COMMAND', async () => {
    const { pi } = await run(model);
    const jobId = pi.jobs()[0]?.jobId ?? '';
    expect((await pi.send({ type: 'completeJob', jobId, variables: [1, 2] as never })).rejection?.code).toBe('INVALID_COMMAND');
    expect((await pi.send({ type: 'completeJob', jobId, variables: 'x' as never })).rejection?.code).toBe('INVALID_COMMAND');
  });

  it('drops prototype-polluting keys from incoming variables', async () => {
    const { pi } = await run(model);
    await pi.completeJob('work', JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}'));
    expect(pi.variables).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('start is rejected for an existing instance or a bad instance id', async () => {
    const { engine, pi } = await run(model);
    const def = engine.definition('process');
    expect(step(def, pi.state, { type: 'start', instanceId: pi.id }, { now: 0 }).rejection?.code).toBe('INVALID_STATE');
    expect(step(def, null, { type: 'start', instanceId: '../etc' }, { now: 0 }).rejection?.code).toBe('INVALID_COMMAND');
    expect(step(def, null, { type: 'start', instanceId: 'x', startEventId: 'work' }, { now: 0 }).rejection?.code).toBe('INVALID_COMMAND');
  });

  it('an unknown command type is INVALID_COMMAND', async () => {
    const { pi } = await run(model);
    expect((await pi.send({ type: 'explode' } as never)).rejection?.code).toBe('INVALID_COMMAND');
  });
});

describe('step: cancel', () => {
  it('terminates every element instance and closes jobs, tasks, timers and subscriptions', async () => {
    const { pi } = await run(model);
    await pi.cancel();
    expect(pi.status).toBe('canceled');
    expect(lifecycle(pi)).toContain('xwork');
    expect(pi.state.elements).toEqual({});
    expect(pi.state.jobs).toEqual({});
    expect(pi.effects.at(-1)).toEqual(expect.objectContaining({ type: 'instance.ended', status: 'canceled' }));
  });
});

describe('step: purity', () => {
  it('never mutates the state it is given and is deterministic', async () => {
    const { engine, pi } = await run(model);
    const def = engine.definition('process');
    const frozen = structuredClone(pi.state);
    const snapshot = JSON.stringify(frozen);
    const command = { type: 'completeJob' as const, jobId: pi.jobs()[0]?.jobId ?? '', variables: { a: 1 } };
    const first = step(def, frozen, command, { now: 1 });
    const second = step(def, frozen, command, { now: 1 });
    expect(JSON.stringify(frozen)).toBe(snapshot);
    expect(JSON.stringify(first)).toBe(JSON.stringify(second));
  });
});

describe('step: a loop with no wait state', () => {
  it('is rejected with a reason instead of hanging', async () => {
    const { engine } = await run(`<startEvent id="start"/><task id="spin"/>${flows('start', 'spin')}<sequenceFlow id="again" sourceRef="spin" targetRef="spin"/>`).catch(() => ({ engine: null }));
    expect(engine).toBeNull(); // the harness throws on a rejected start
    const { TestEngine, bpmn } = await import('../../lib/testing/index.ts');
    const e = await TestEngine.deploy(bpmn(`<startEvent id="start"/><task id="spin"/>${flows('start', 'spin')}<sequenceFlow id="again" sourceRef="spin" targetRef="spin"/>`));
    const result = step(e.definition('process'), null, { type: 'start', instanceId: 'x' }, { now: 0 });
    expect(result.rejection).toEqual({ code: 'INVALID_STATE', message: expect.stringMatching(/more than 10000 elements.*'spin'/) });
  });
});

describe('starting a process without a none start event', () => {
  it('is rejected, naming how the process starts', async () => {
    const engine = await TestEngine.deploy(bpmn(`
      <startEvent id="onSignal"><signalEventDefinition signalRef="sig"/></startEvent>
      <startEvent id="onCondition"><conditionalEventDefinition><condition xsi:type="tFormalExpression">=x &gt; 1</condition></conditionalEventDefinition></startEvent>
      <endEvent id="end"/>${flows('onSignal', 'end')}${flows('onCondition', 'end')}`, { id: 'picky', rootElements: '<signal id="sig" name="go"/>' }));
    await expect(engine.start('picky')).rejects.toThrow("process 'picky' has no none start event; it starts by signal or condition");
    expect((await engine.start('picky', {}, { startEventId: 'onSignal' })).status).toBe('completed');
  });
});
