/**
 * DMN on the durable path, against the emulators: decisions deployed to DynamoDB, the
 * business rule task's `decision.evaluate` effect answered by the EffectDispatcher through
 * the FIFO commands queue, the instance completing with the decision's result.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deployDecisions } from '../../lib/app/decisions.ts';
import { deploy } from '../../lib/app/definitions.ts';
import { EffectDispatcher } from '../../lib/app/effects.ts';
import { applyCommand } from '../../lib/app/transition.ts';
import { CachedDecisions } from '../../lib/app/decisions.ts';
import type { CommandEnvelope } from '../../lib/ports.ts';
import { bpmn, flows } from '../../lib/testing/index.ts';
import { until } from '../support/wait.ts';
import { testRuntime, withCommands, type TestRuntime } from './runtime.ts';

/** What the runtime's EffectDispatcher is built with (lib/composition/application.ts). */
const targets = (rt: TestRuntime) => ({ index: rt.index, timers: rt.timers, events: rt.events, commands: rt.commands, clock: rt.clock, logger: rt.logger, decisions: new CachedDecisions(rt.decisions) });

const discount = readFileSync(new URL('../fixtures/dmn/discount.dmn', import.meta.url), 'utf8');

const pricing = bpmn(`<startEvent id="start"/>
  <businessRuleTask id="decide">
    <extensionElements>
      <zeebe:calledDecision decisionId="discount" resultVariable="rate"/>
      <zeebe:ioMapping><zeebe:output source="=amount * (1 - rate)" target="toPay"/></zeebe:ioMapping>
    </extensionElements>
  </businessRuleTask>
  <endEvent id="end"/>${flows('start', 'decide', 'end')}`, { id: 'pricing' });

describe('business rule task on the durable runtime', () => {
  it('completes with the result of the deployed decision, recording its version', async () => {
    const rt = await testRuntime();
    expect(await deployDecisions(rt.decisions, rt.clock, discount)).toEqual([{ key: 'discount', version: 1, created: true }]);
    const [def] = await deploy(rt.definitions, rt.clock, pricing);
    await withCommands(rt, async () => {
      await rt.commands.send([{ id: 'start-p1', instanceId: 'p1', definition: { key: 'pricing', version: def!.version }, command: { type: 'start', instanceId: 'p1', variables: { customer: 'gold', amount: 200 } } }]);
      const head = await until(async () => {
        const h = await rt.instances.getHead('p1', true);
        return h?.status === 'completed' ? h : null;
      }, 30_000, 'the instance to complete');
      const versions = await rt.instances.listVersions('p1', { limit: 100 });
      const last = versions.at(-1)!;
      expect(last.state.vars['root']).toEqual({ customer: 'gold', amount: 200, toPay: 170 });
      expect(versions.flatMap((v) => v.events).filter((e) => e.type.startsWith('Decision'))).toEqual([
        expect.objectContaining({ type: 'DecisionRequested', decisionId: 'discount', bindingType: 'latest' }),
        expect.objectContaining({ type: 'DecisionEvaluated', decisionId: 'discount', decisionVersion: 1 }),
      ]);
      expect(last.commandId).toMatch(/^decision:p1\.\d+$/);
      expect(head.version).toBe(versions.length);

      // A re-emitted version (a crash before its effects were confirmed) asks again: the answer
      // carries the same command id, so it is a duplicate of the applied one and changes nothing.
      const asking = versions.find((v) => v.effects.some((e) => e.type === 'decision.evaluate'))!;
      const sent: CommandEnvelope[] = [];
      const dispatcher = new EffectDispatcher({ ...targets(rt), commands: { send: async (envelopes) => { sent.push(...envelopes); } } });
      await dispatcher.emit(asking);
      expect(sent).toEqual([expect.objectContaining({ id: last.commandId, instanceId: 'p1' })]);
      expect(await applyCommand(rt.transition, sent[0]!)).toMatchObject({ status: 'duplicate', version: last.version });
      expect(await rt.instances.listVersions('p1', { limit: 100 })).toHaveLength(versions.length);
    });
  }, 60_000);

  it('raises an incident when the decision is not deployed; deploying it and resolving completes the instance', async () => {
    const rt = await testRuntime();
    const [def] = await deploy(rt.definitions, rt.clock, pricing);
    await withCommands(rt, async () => {
      await rt.commands.send([{ id: 'start-p2', instanceId: 'p2', definition: { key: 'pricing', version: def!.version }, command: { type: 'start', instanceId: 'p2', variables: { customer: 'silver', amount: 50 } } }]);
      const stuck = await until(async () => {
        const loaded = await rt.instances.load('p2', true);
        const incident = Object.values(loaded.latest?.state.incidents ?? {})[0];
        return incident ?? null;
      }, 30_000, 'the incident');
      expect(stuck).toMatchObject({ elementId: 'decide', kind: 'decision', message: "no decision with id 'discount' is deployed" });
      await deployDecisions(rt.decisions, rt.clock, discount);
      await rt.commands.send([{ id: 'resolve-p2', instanceId: 'p2', command: { type: 'resolveIncident', incidentId: `p2.${stuck.key}` } }]);
      await until(async () => (await rt.instances.getHead('p2', true))?.status === 'completed', 30_000, 'the instance to complete');
      const last = (await rt.instances.listVersions('p2', { limit: 100 })).at(-1)!;
      expect(last.state.vars['root']).toEqual({ customer: 'silver', amount: 50, toPay: 50 });
    });
  }, 60_000);
});
