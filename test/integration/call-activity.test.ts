/**
 * Call activities on the durable path: parent and child are separate instances on
 * DynamoDB Local, linked only by commands on the commands queue (fauxqs), applied by
 * the commands handler as Lambda would apply them.
 */
import { describe, expect, it } from 'vitest';
import { deploy } from '../../lib/app/definitions.ts';
import type { InstanceHead } from '../../lib/ports.ts';
import { bpmn, flows, job } from '../../lib/testing/index.ts';
import { jobsWithVariables } from '../../lib/app/service/open-items.ts';
import { testRuntime, withCommands, type TestRuntime } from './runtime.ts';
import { until } from '../support/wait.ts';

const parent = bpmn(`
  <startEvent id="start"/>
  <callActivity id="charge"><extensionElements>
    <zeebe:calledElement processId="billing" propagateAllChildVariables="true"/>
    <zeebe:ioMapping><zeebe:output source="=receipt" target="receiptNo"/></zeebe:ioMapping>
  </extensionElements></callActivity>
  <endEvent id="end"/>${flows('start', 'charge', 'end')}`, { id: 'order' });
const child = bpmn(`<startEvent id="s"/><serviceTask id="pay">${job('pay')}</serviceTask><endEvent id="e"/>${flows('s', 'pay', 'e')}`, { id: 'billing' });


const headWith = (rt: TestRuntime, instanceId: string, status: InstanceHead['status']) =>
  until(async () => {
    const head = await rt.instances.getHead(instanceId, true);
    return head?.status === status ? head : null;
  });

describe('call activities through the commands queue', () => {
  it('starts the child, and the parent completes with the child\'s variables once the child\'s job is done', async () => {
    const rt = await testRuntime();
    await deploy(rt.definitions, rt.clock, child);
    const [deployed] = await deploy(rt.definitions, rt.clock, parent);
    await withCommands(rt, async () => {
      await rt.commands.send([{ id: 'start-p1', instanceId: 'p1', definition: { key: 'order', version: deployed!.version }, command: { type: 'start', instanceId: 'p1', variables: { amount: 30 } } }]);
      const [pay] = await until(async () => { const jobs = await rt.index.listJobs('pay'); return jobs.length > 0 && jobs; });
      expect(pay).toMatchObject({ instanceId: 'p1-3', elementId: 'pay', variables: {} }); // index items carry no variables
      const [handedOut] = await jobsWithVariables(rt.instances, [pay!]);
      expect(handedOut?.variables).toEqual({ amount: 30 });
      const childStart = (await rt.instances.listVersions('p1-3'))[0];
      expect(childStart).toMatchObject({ commandId: 'call:p1-3', definitionKey: 'billing', definitionVersion: 1 });
      expect(childStart?.state.parent).toEqual({ instanceId: 'p1', callId: 'p1.2' });

      await rt.commands.send([{ id: 'pay-1', instanceId: 'p1-3', command: { type: 'completeJob', jobId: pay!.jobId, variables: { receipt: 'R-7' } } }]);

      const done = await headWith(rt, 'p1', 'completed');
      const last = await rt.instances.getVersion('p1', done.version);
      expect(last).toMatchObject({ commandId: 'call-done:p1-3', command: { type: 'completeCall', callId: 'p1.2', childInstanceId: 'p1-3' } });
      expect(last?.state.vars['root']).toEqual({ amount: 30, receiptNo: 'R-7' });
      expect((await rt.instances.getHead('p1-3', true))?.status).toBe('completed');

      // Emitting the parent's first version again (a crash before the swap) sends the same ids: nothing new.
      const first = await rt.instances.getVersion('p1', 1);
      await rt.transition.effects.emit(first!);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await rt.instances.listVersions('p1-3')).map((v) => v.commandId)).toEqual(['call:p1-3', 'pay-1']);
    });
  }, 60_000);

  it('canceling the parent cancels the child', async () => {
    const rt = await testRuntime();
    await deploy(rt.definitions, rt.clock, child);
    const [deployed] = await deploy(rt.definitions, rt.clock, parent);
    await withCommands(rt, async () => {
      await rt.commands.send([{ id: 'start-p2', instanceId: 'p2', definition: { key: 'order', version: deployed!.version }, command: { type: 'start', instanceId: 'p2' } }]);
      await headWith(rt, 'p2-3', 'active');

      await rt.commands.send([{ id: 'cancel-p2', instanceId: 'p2', command: { type: 'cancel' } }]);

      await headWith(rt, 'p2', 'canceled');
      const child = await headWith(rt, 'p2-3', 'canceled');
      expect(child.commandId).toBe('call-cancel:p2-3');
      expect(await rt.index.listJobs('pay')).toEqual([]);
    });
  }, 60_000);

  it('a missing called process is an incident on the call activity; after deploying it, resolving the incident runs the call', async () => {
    const rt = await testRuntime();
    const [deployed] = await deploy(rt.definitions, rt.clock, parent);
    await withCommands(rt, async () => {
      await rt.commands.send([{ id: 'start-p3', instanceId: 'p3', definition: { key: 'order', version: deployed!.version }, command: { type: 'start', instanceId: 'p3' } }]);
      const head = await headWith(rt, 'p3', 'incident');
      const [incident] = Object.values((await rt.instances.getVersion('p3', head.version))!.state.incidents);
      expect(incident).toMatchObject({ elementId: 'charge', kind: 'calledElement', message: expect.stringContaining("no process 'billing' is deployed") });

      await deploy(rt.definitions, rt.clock, child);
      await rt.commands.send([{ id: 'resolve-p3', instanceId: 'p3', command: { type: 'resolveIncident', incidentId: `p3.${incident!.key}` } }]);

      const [pay] = await until(async () => { const jobs = await rt.index.listJobs('pay'); return jobs.length > 0 && jobs; });
      await rt.commands.send([{ id: 'pay-3', instanceId: pay!.instanceId, command: { type: 'completeJob', jobId: pay!.jobId, variables: { receipt: 'R-9' } } }]);
      await headWith(rt, 'p3', 'completed');
    });
  }, 60_000);

  it('a child that cannot start (its start is refused) puts an incident on the call activity instead of leaving the parent waiting', async () => {
    const rt = await testRuntime();
    // The child's timer event subprocess needs `wait`, which the caller does not pass: the child's start is refused.
    const picky = bpmn(`<startEvent id="s"/><serviceTask id="pay">${job('pay')}</serviceTask><endEvent id="e"/>${flows('s', 'pay', 'e')}
      <subProcess id="late" triggeredByEvent="true"><startEvent id="ls" isInterrupting="false"><timerEventDefinition><timeDuration>=wait</timeDuration></timerEventDefinition></startEvent>
      <endEvent id="le"/>${flows('ls', 'le')}</subProcess>`, { id: 'billing' });
    await deploy(rt.definitions, rt.clock, picky);
    const [deployed] = await deploy(rt.definitions, rt.clock, parent);
    await withCommands(rt, async () => {
      await rt.commands.send([{ id: 'start-p3', instanceId: 'p3', definition: { key: 'order', version: deployed!.version }, command: { type: 'start', instanceId: 'p3', variables: { amount: 5 } } }]);
      const stuck = await until(async () => {
        const latest = (await rt.instances.listVersions('p3')).at(-1);
        return latest && Object.keys(latest.state.incidents).length > 0 ? latest : null;
      });
      expect(stuck.commandId).toBe('call-failed:p3-3');
      expect(Object.values(stuck.state.incidents)[0]?.message).toMatch(/the called instance 'p3-3' could not start: .*wait/);
      expect(await rt.instances.getHead('p3-3', true)).toBeNull();
    });
  }, 60_000);
});
