import { describe, expect, it } from 'vitest';
import { rollback } from '../../../../lib/core/bpmn/rollback.ts';
import { step } from '../../../../lib/core/step.ts';
import { TestEngine, bpmn, flows } from '../../../../lib/testing/index.ts';
import { dmn, literalDecision, table, tableDecision } from '../../dmn/helpers.ts';
import { trace } from '../../helpers.ts';

const discount = (versionTag?: string, gold = '0.1') => table({
  id: 'discount', hitPolicy: 'FIRST', ...(versionTag ? { versionTag } : {}),
  inputs: ['customer'], outputs: ['rate'], rules: [[['"gold"'], [gold]], [['-'], ['0']]],
});

const ruleTask = (called: string, extra = '') => bpmn(`
  <startEvent id="start"/>
  <businessRuleTask id="decide"><extensionElements><zeebe:calledDecision ${called}/>${extra}</extensionElements></businessRuleTask>
  <endEvent id="end"/>
  ${flows('start', 'decide', 'end')}`);

describe('business rule task with a called decision', () => {
  it('evaluates the deployed decision into the result variable and completes', async () => {
    const engine = await TestEngine.deploy([ruleTask('decisionId="discount" resultVariable="rate"'), discount()]);
    const pi = await engine.start('process', { customer: 'gold' });
    expect(trace(pi)).toEqual([
      'InstanceStarted', 'VariablesSet',
      'ElementActivated:start', 'ElementCompleted:start', 'FlowTaken',
      'ElementActivated:decide', 'DecisionRequested', 'DecisionEvaluated', 'VariablesSet', 'ElementCompleted:decide', 'FlowTaken',
      'ElementActivated:end', 'ElementCompleted:end',
      'InstanceCompleted',
    ]);
    expect(pi.events.find((e) => e.type === 'DecisionEvaluated')).toEqual({ type: 'DecisionEvaluated', key: '3', decisionId: 'discount', decisionVersion: 1 });
    expect(pi.variables).toEqual({ customer: 'gold', rate: 0.1 });
  });

  it('asks for the decision through an effect carrying the visible variables', async () => {
    const engine = await TestEngine.deploy([ruleTask('decisionId="=&quot;dis&quot; + &quot;count&quot;" resultVariable="rate"'), discount()]);
    const pi = await engine.start('process', { customer: 'silver' });
    expect(pi.effects.find((e) => e.type === 'decision.evaluate')).toEqual({
      type: 'decision.evaluate', requestId: `${pi.id}.3`, instanceId: pi.id, elementId: 'decide',
      decisionId: 'discount', bindingType: 'latest', versionTag: null, variables: { customer: 'silver' },
    });
    expect(pi.variables['rate']).toBe(0);
  });

  it('keeps the result local and applies output mappings, as for a job', async () => {
    const outputs = '<zeebe:ioMapping><zeebe:output source="=rate * 100" target="percent"/></zeebe:ioMapping>';
    const engine = await TestEngine.deploy([ruleTask('decisionId="discount" resultVariable="rate"', outputs), discount()]);
    const pi = await engine.start('process', { customer: 'gold' });
    expect(pi.variables).toEqual({ customer: 'gold', percent: 10 });
  });

  it('evaluates required decisions first and stores a multi-output result as an object', async () => {
    const doc = dmn(
      literalDecision('total', 'sum(prices)'),
      tableDecision({ id: 'offer', requires: ['total'], hitPolicy: 'FIRST', inputs: ['total'], outputs: ['label', 'free'], rules: [[['>= 100'], ['"big"', 'true']], [['-'], ['"small"', 'false']]] }),
    );
    const engine = await TestEngine.deploy([ruleTask('decisionId="offer" resultVariable="offer"'), doc]);
    expect((await engine.start('process', { prices: [60, 50] })).variables['offer']).toEqual({ label: 'big', free: true });
  });

  it('raises an incident when the decision is missing; deploying it and resolving completes the task', async () => {
    const engine = await TestEngine.deploy(ruleTask('decisionId="discount" resultVariable="rate"'));
    const pi = await engine.start('process', { customer: 'gold' });
    expect(pi.incidents()).toEqual([expect.objectContaining({ elementId: 'decide', kind: 'decision', message: "no decision with id 'discount' is deployed" })]);
    await engine.deployMore(discount());
    await pi.resolveIncident();
    expect(trace(pi).slice(5)).toEqual([
      'ElementActivated:decide', 'DecisionRequested', 'DecisionFailed', 'IncidentRaised',
      'IncidentResolved', 'DecisionRequested', 'DecisionEvaluated', 'VariablesSet',
      'ElementCompleted:decide', 'FlowTaken', 'ElementActivated:end', 'ElementCompleted:end', 'InstanceCompleted',
    ]);
    expect(pi.status).toBe('completed');
    expect(pi.variables['rate']).toBe(0.1);
  });

  it('raises an incident naming the rule when the decision fails', async () => {
    const failing = table({ id: 'discount', inputs: ['customer'], outputs: ['rate'], rules: [[['-'], ['1']], [['-'], ['2']]] });
    const engine = await TestEngine.deploy([ruleTask('decisionId="discount" resultVariable="rate"'), failing]);
    const pi = await engine.start('process', { customer: 'gold' });
    expect(pi.incidents()[0]?.message).toBe("decision 'discount' version 1 failed: decision 'discount': hit policy UNIQUE allows one matching rule, but rules 1, 2 match");
    expect(pi.activeElements()).toEqual(['decide']);
  });

  it('raises an incident instead of storing a result too large for one command', async () => {
    const engine = await TestEngine.deploy([ruleTask('decisionId="big" resultVariable="rows"'), dmn(literalDecision('big', 'for i in 1..30000 return "0123456789"'))]);
    const pi = await engine.start('process');
    expect(pi.incidents()[0]?.message).toMatch(/^decision 'big' version 1 returned \d+ bytes; the limit is 204800$/);
    expect(pi.variables).toEqual({});
  });

  it('binds to the version with the requested version tag, not the latest', async () => {
    const engine = await TestEngine.deploy([ruleTask('decisionId="discount" resultVariable="rate" bindingType="versionTag" versionTag="v1"'), discount('v1', '0.1'), discount('v2', '0.2')]);
    const pi = await engine.start('process', { customer: 'gold' });
    expect(pi.variables['rate']).toBe(0.1);
    expect(pi.events.find((e) => e.type === 'DecisionEvaluated')).toMatchObject({ decisionVersion: 1 });
    const latest = await TestEngine.deploy([ruleTask('decisionId="discount" resultVariable="rate"'), discount('v1', '0.1'), discount('v2', '0.2')]);
    expect((await latest.start('process', { customer: 'gold' })).variables['rate']).toBe(0.2);
  });

  it('rejects stale and mismatched answers', async () => {
    const engine = await TestEngine.deploy(ruleTask('decisionId="discount" resultVariable="rate"'));
    const def = engine.definition('process');
    const started = step(def, null, { type: 'start', instanceId: 'i1', variables: {} }, { now: 0 });
    const requestId = 'i1.3';
    expect(started.effects.map((e) => e.type)).toContain('decision.evaluate');
    const wrong = step(def, started.state, { type: 'completeDecision', requestId, decisionId: 'other', decisionVersion: 1, result: 1 }, { now: 0 });
    expect(wrong.rejection?.code).toBe('INVALID_COMMAND');
    const done = step(def, started.state, { type: 'completeDecision', requestId, decisionId: 'discount', decisionVersion: 1, result: 1 }, { now: 0 });
    expect(done.state.status).toBe('completed');
    const failed = step(def, started.state, { type: 'failDecision', requestId, message: 'down' }, { now: 0 });
    const late = step(def, failed.state, { type: 'completeDecision', requestId, decisionId: 'discount', decisionVersion: 1, result: 1 }, { now: 0 });
    expect(late.rejection).toEqual({ code: 'NOT_FOUND', message: "decision request 'i1.3' is not open (answered, canceled or never made)" });
  });

  it('asks again under a new request id after a rollback to a version that waited for the decision', async () => {
    const engine = await TestEngine.deploy(ruleTask('decisionId="discount" resultVariable="rate"'));
    const def = engine.definition('process');
    const waiting = step(def, null, { type: 'start', instanceId: 'i1', variables: { customer: 'gold' } }, { now: 0 }).state;
    const failed = step(def, waiting, { type: 'failDecision', requestId: 'i1.3', message: 'not deployed' }, { now: 0 }).state;
    const back = rollback(def, failed, waiting, 1, { now: 0 });
    expect(back.events.map((e) => e.type)).toEqual(['RolledBack', 'DecisionCanceled', 'DecisionRequested']);
    expect(back.effects).toContainEqual(expect.objectContaining({ type: 'decision.evaluate', requestId: 'i1.5', decisionId: 'discount', variables: { customer: 'gold' } }));
    expect(step(def, back.state, { type: 'completeDecision', requestId: 'i1.3', decisionId: 'discount', decisionVersion: 1, result: 1 }, { now: 0 }).rejection?.code).toBe('NOT_FOUND');
    expect(step(def, back.state, { type: 'completeDecision', requestId: 'i1.5', decisionId: 'discount', decisionVersion: 1, result: 1 }, { now: 0 }).state.status).toBe('completed');
  });

  it('stops waiting when an interrupting boundary event ends the task', async () => {
    const body = `
      <startEvent id="start"/>
      <businessRuleTask id="decide"><extensionElements><zeebe:calledDecision decisionId="discount" resultVariable="rate"/></extensionElements></businessRuleTask>
      <boundaryEvent id="late" attachedToRef="decide"><timerEventDefinition><timeDuration>PT1M</timeDuration></timerEventDefinition></boundaryEvent>
      <endEvent id="end"/><endEvent id="timedOut"/>
      ${flows('start', 'decide', 'end')}${flows('late', 'timedOut')}`;
    const engine = await TestEngine.deploy(bpmn(body));
    const pi = await engine.start('process');
    expect(pi.incidents()).toHaveLength(1);
    await engine.advance(60_000);
    expect(pi.status).toBe('completed');
    expect(pi.state.decisions ?? {}).toEqual({});
  });

  it('refuses a called decision without id or result variable, and unsupported bindings, at deploy', async () => {
    await expect(TestEngine.deploy(ruleTask('resultVariable="rate"'))).rejects.toThrow(/zeebe:calledDecision needs a decisionId/);
    await expect(TestEngine.deploy(ruleTask('decisionId="d"'))).rejects.toThrow(/zeebe:calledDecision needs a valid resultVariable/);
    await expect(TestEngine.deploy(ruleTask('decisionId="d" resultVariable="r" bindingType="deployment"'))).rejects.toThrow(/bindingType 'deployment' is not supported \(supported: latest, versionTag\)/);
    await expect(TestEngine.deploy(ruleTask('decisionId="d" resultVariable="r" bindingType="versionTag"'))).rejects.toThrow(/needs a versionTag/);
  });
});
