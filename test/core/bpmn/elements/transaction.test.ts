import { describe, expect, it } from 'vitest';
import { bpmn, flows, job, TestEngine } from '../../../../lib/testing/index.ts';
import { lifecycle, refusal, run } from '../../helpers.ts';

/** A compensation boundary event on `activity`, associated with the handler `handlerId` (markup in `handler`). */
const undo = (activity: string, handlerId: string, handler: string) => `${handler}
  <boundaryEvent id="${activity}Comp" attachedToRef="${activity}"><compensateEventDefinition/></boundaryEvent>
  <association id="${activity}-${handlerId}" sourceRef="${activity}Comp" targetRef="${handlerId}"/>`;

/**
 * A booking transaction: book (compensable by a job 'unbook'), then in parallel a user task
 * 'review' and a job 'check' whose outcome either completes the transaction or cancels it.
 */
const booking = `
  <startEvent id="start"/>
  <transaction id="tx">
    <startEvent id="ts"/>
    <serviceTask id="book">${job('book')}</serviceTask>
    ${undo('book', 'unbook', `<serviceTask id="unbook" isForCompensation="true">${job('unbook')}</serviceTask>`)}
    <parallelGateway id="fork"/><userTask id="review"/><endEvent id="reviewed"/>
    <serviceTask id="check">${job('check')}</serviceTask>
    <exclusiveGateway id="ok" default="ok-done"/><endEvent id="done"/><endEvent id="cancel"><cancelEventDefinition/></endEvent>
    ${flows('ts', 'book', 'fork', 'review', 'reviewed')}${flows('fork', 'check', 'ok')}
    <sequenceFlow id="ok-cancel" sourceRef="ok" targetRef="cancel"><conditionExpression>=rejected</conditionExpression></sequenceFlow>
    <sequenceFlow id="ok-done" sourceRef="ok" targetRef="done"/>
  </transaction>
  <boundaryEvent id="canceled" attachedToRef="tx"><cancelEventDefinition/></boundaryEvent>
  <endEvent id="booked"/><endEvent id="notBooked"/>
  ${flows('start', 'tx', 'booked')}${flows('canceled', 'notBooked')}`;

describe('transaction subprocess', () => {
  it('a cancel end event ends the rest of the transaction, compensates it, then leaves through the cancel boundary event', async () => {
    const engine = await TestEngine.deploy(bpmn(booking), { roundTrip: true });
    const pi = await engine.start('process');
    await pi.completeJob('book');
    await pi.completeJob('check', { rejected: true });
    expect(lifecycle(pi).slice(-6)).toEqual(['-check', '+ok', '-ok', '+cancel', 'xreview', '+unbook']);
    expect(pi.events).toContainEqual(expect.objectContaining({ type: 'TaskCanceled' }));
    expect(pi.activeElements()).toEqual(['cancel', 'tx', 'unbook']);
    await pi.completeJob('unbook');
    expect(lifecycle(pi).slice(-7)).toEqual(['-unbook', 'xcancel', 'xtx', '+canceled', '-canceled', '+notBooked', '-notBooked']);
    expect(pi.events.map((e) => e.type)).toEqual(expect.arrayContaining(['CompensationThrown', 'CompensationHandlerActivated', 'CompensationCompleted']));
    expect(pi.status).toBe('completed');
  });

  it('canceled with nothing to compensate, leaves through the cancel boundary event at once', async () => {
    const { pi } = await run(`<startEvent id="start"/>
      <transaction id="tx"><startEvent id="ts"/><endEvent id="cancel"><cancelEventDefinition/></endEvent>${flows('ts', 'cancel')}</transaction>
      <boundaryEvent id="canceled" attachedToRef="tx"><cancelEventDefinition/></boundaryEvent><endEvent id="end"/><endEvent id="notDone"/>
      ${flows('start', 'tx', 'end')}${flows('canceled', 'notDone')}`);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+tx', '+ts', '-ts', '+cancel', 'xcancel', 'xtx', '+canceled', '-canceled', '+notDone', '-notDone']);
    expect(pi.events).toContainEqual({ type: 'CompensationThrown', ei: expect.any(String), elementId: 'cancel', activityRef: null, records: [], waiting: false });
    expect(pi.status).toBe('completed');
  });

  it('completes normally like an embedded subprocess', async () => {
    const { pi } = await run(booking);
    await pi.completeJob('book');
    await pi.completeJob('check', { rejected: false });
    await pi.completeTask('review');
    expect(lifecycle(pi).slice(-3)).toEqual(['-tx', '+booked', '-booked']);
    expect(pi.events.some((e) => e.type === 'CompensationThrown')).toBe(false);
    expect(pi.status).toBe('completed');
  });
});

describe('transactions and cancel events at deploy', () => {
  it('refuses a cancel end event outside a transaction', async () => {
    const message = await refusal(`<startEvent id="start"/><subProcess id="sub"><startEvent id="s1"/><endEvent id="cancel"><cancelEventDefinition/></endEvent>${flows('s1', 'cancel')}</subProcess>
      <endEvent id="end"/>${flows('start', 'sub', 'end')}`);
    expect(message).toContain('cancel: a cancel end event is only allowed directly inside a transaction subprocess');
  });

  it('refuses a cancel boundary event on anything but a transaction', async () => {
    const message = await refusal(`<startEvent id="start"/><task id="A"/><boundaryEvent id="canceled" attachedToRef="A"><cancelEventDefinition/></boundaryEvent>
      <endEvent id="end"/>${flows('start', 'A', 'end')}${flows('canceled', 'end')}`);
    expect(message).toContain('canceled: a cancel boundary event can only be attached to a transaction subprocess');
  });

  it('refuses a transaction whose cancel end event no boundary event catches', async () => {
    const message = await refusal(`<startEvent id="start"/><transaction id="tx"><startEvent id="ts"/><endEvent id="cancel"><cancelEventDefinition/></endEvent>${flows('ts', 'cancel')}</transaction>
      <endEvent id="end"/>${flows('start', 'tx', 'end')}`);
    expect(message).toContain('tx: a transaction with a cancel end event needs a cancel boundary event');
  });
});
