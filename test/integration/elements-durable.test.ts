/**
 * The newer BPMN elements through the durable path (DynamoDB Local + fauxqs, the commands
 * handler as Lambda runs it): their state survives being stored, compressed and read
 * back between transitions, and each command is one version.
 */
import { describe, expect, it } from 'vitest';
import { deploy } from '../../lib/app/definitions.ts';
import { bpmn, escapeXml, flows, job } from '../../lib/testing/index.ts';
import { until } from '../support/wait.ts';
import { jobsWithVariables } from '../../lib/app/service/open-items.ts';
import { testRuntime, withCommands, type TestRuntime } from './runtime.ts';

const when = (feel: string) => `<conditionalEventDefinition><condition xsi:type="tFormalExpression">${escapeXml(feel)}</condition></conditionalEventDefinition>`;

/** Book (compensable), wait until approved, an ad-hoc check, a retried step (standard loop); a rejection compensates the booking. */
const booking = bpmn(`
  <startEvent id="start"/>
  <serviceTask id="book">${job('book')}</serviceTask>
  <boundaryEvent id="undoBook" attachedToRef="book"><compensateEventDefinition/></boundaryEvent>
  <serviceTask id="cancelBooking" isForCompensation="true">${job('cancel-booking')}</serviceTask>
  <association id="a1" sourceRef="undoBook" targetRef="cancelBooking"/>
  <intermediateCatchEvent id="decided">${when('=approved != null')}</intermediateCatchEvent>
  <exclusiveGateway id="ok" default="toReject"/>
  <sequenceFlow id="toChecks" sourceRef="ok" targetRef="checks"><conditionExpression xsi:type="tFormalExpression">=approved</conditionExpression></sequenceFlow>
  <sequenceFlow id="toReject" sourceRef="ok" targetRef="undo"/>
  <adHocSubProcess id="checks"><serviceTask id="checkA">${job('check')}</serviceTask><serviceTask id="checkB">${job('check')}</serviceTask>
    <completionCondition xsi:type="tFormalExpression">=checked = true</completionCondition></adHocSubProcess>
  <scriptTask id="retry"><extensionElements><zeebe:script expression="=loopCounter" resultVariable="tries"/></extensionElements>
    <standardLoopCharacteristics><loopCondition xsi:type="tFormalExpression">=tries &lt; 3</loopCondition></standardLoopCharacteristics></scriptTask>
  <intermediateThrowEvent id="undo"><compensateEventDefinition/></intermediateThrowEvent>
  <endEvent id="done"/><endEvent id="rejected"/>
  ${flows('start', 'book', 'decided', 'ok')}${flows('checks', 'retry', 'done')}${flows('undo', 'rejected')}`, { id: 'booking' });

const jobOf = (rt: TestRuntime, type: string) => until(async () => { const [first] = await rt.index.listJobs(type); return first; }, 20_000, `a '${type}' job`);
const latest = async (rt: TestRuntime, id: string) => (await rt.instances.listVersions(id, { limit: 1000 })).at(-1);

describe('newer BPMN elements through the durable path', () => {
  it('approved: a conditional event waits for the variable, the ad-hoc subprocess ends on its condition, the loop runs three times', async () => {
    const rt = await testRuntime();
    const [deployed] = await deploy(rt.definitions, rt.clock, booking);
    await withCommands(rt, async () => {
      await rt.commands.send([{ id: 'start-b1', instanceId: 'b1', definition: { key: 'booking', version: deployed!.version }, command: { type: 'start', instanceId: 'b1' } }]);
      const book = await jobOf(rt, 'book');
      await rt.commands.send([{ id: 'book-b1', instanceId: 'b1', command: { type: 'completeJob', jobId: book.jobId } }]);
      await until(async () => (await latest(rt, 'b1'))?.state.conditions && Object.keys((await latest(rt, 'b1'))!.state.conditions!).length > 0, 20_000, 'the conditional listener');
      await rt.commands.send([{ id: 'approve-b1', instanceId: 'b1', command: { type: 'setVariables', variables: { approved: true } } }]);
      await until(async () => (await rt.index.listJobs('check')).length === 2, 20_000, 'both checks');
      const [check] = await rt.index.listJobs('check');
      await rt.commands.send([{ id: 'check-b1', instanceId: 'b1', command: { type: 'completeJob', jobId: check!.jobId, variables: { checked: true } } }]);
      const head = await until(() => rt.instances.getHead('b1', true).then((h) => (h?.status === 'completed' ? h : null)), 20_000, 'completion');
      const last = await rt.instances.getVersion('b1', head.version);
      expect(last?.state.vars['root']).toMatchObject({ approved: true, checked: true, tries: 3 });
      expect(await rt.index.listJobs('check')).toEqual([]);
      const events = (await rt.instances.listVersions('b1', { limit: 1000 })).flatMap((v) => v.events);
      expect(events.filter((e) => e.type === 'ElementActivated' && e.elementId === 'retry')).toHaveLength(4); // the body and three iterations
      expect(events.some((e) => e.type === 'ElementActivated' && e.elementId === 'cancelBooking')).toBe(false);
    });
  }, 90_000);

  it('rejected: the compensation throw runs the booking\'s handler job, then the instance ends', async () => {
    const rt = await testRuntime();
    const [deployed] = await deploy(rt.definitions, rt.clock, booking);
    await withCommands(rt, async () => {
      await rt.commands.send([{ id: 'start-b2', instanceId: 'b2', definition: { key: 'booking', version: deployed!.version }, command: { type: 'start', instanceId: 'b2' } }]);
      const book = await jobOf(rt, 'book');
      await rt.commands.send([{ id: 'book-b2', instanceId: 'b2', command: { type: 'completeJob', jobId: book.jobId, variables: { bookingNo: 'B-9' } } }]);
      await until(async () => Object.keys((await latest(rt, 'b2'))?.state.conditions ?? {}).length > 0, 20_000, 'the conditional listener');
      await rt.commands.send([{ id: 'reject-b2', instanceId: 'b2', command: { type: 'setVariables', variables: { approved: false } } }]);
      const cancel = await jobOf(rt, 'cancel-booking');
      const [handedOut] = await jobsWithVariables(rt.instances, [cancel]);
      expect(handedOut?.variables).toMatchObject({ bookingNo: 'B-9' });
      expect((await rt.instances.getHead('b2', true))?.status).toBe('active');
      await rt.commands.send([{ id: 'cancel-b2', instanceId: 'b2', command: { type: 'completeJob', jobId: cancel.jobId } }]);
      await until(() => rt.instances.getHead('b2', true).then((h) => h?.status === 'completed'), 20_000, 'completion');
      const events = (await rt.instances.listVersions('b2', { limit: 1000 })).flatMap((v) => v.events).map((e) => e.type);
      expect(events).toEqual(expect.arrayContaining(['CompensationThrown', 'CompensationCompleted']));
    });
  }, 90_000);
});
