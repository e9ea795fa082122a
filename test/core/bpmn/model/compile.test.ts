import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../../../lib/core/bpmn/model/compile.ts';
import type { ElementDef, ProcessDefinition } from '../../../../lib/core/bpmn/model/types.ts';
import { bpmn, escapeXml, flow, flows, job, message } from '../../../../lib/testing/bpmn.ts';

/** Compiles and expects success; on failure the diff shows the problems. */
async function compiled(xml: string): Promise<ProcessDefinition[]> {
  const result = await compileBpmn(xml);
  expect(result.ok ? [] : result.errors).toEqual([]);
  return result.ok ? result.processes : [];
}

async function compiledOne(xml: string): Promise<ProcessDefinition> {
  const processes = await compiled(xml);
  expect(processes).toHaveLength(1);
  return processes[0] as ProcessDefinition;
}

/** Element `id`, whatever its kind: the assertions read the fields of its kind. */
function element(process: ProcessDefinition, id: string): ElementDef & Record<string, unknown> {
  const def = process.elements[id];
  expect(def, `element ${id}`).toBeDefined();
  return def as ElementDef & Record<string, unknown>;
}

/** An order process that uses every zeebe extension the engine runs. */
const ORDER = bpmn(
  `
  <extensionElements>
    <zeebe:versionTag value="v7"/>
    <zeebe:userTaskForm id="ApprovalForm">{"components":[{"key":"approved","type":"checkbox"}]}</zeebe:userTaskForm>
  </extensionElements>
  <startEvent id="start" name="Order received"/>
  <serviceTask id="kyc" name="KYC check">
    <extensionElements>
      <zeebe:taskDefinition type="${escapeXml('="kyc-" + region')}"/>
      <zeebe:taskHeaders>
        <zeebe:header key="provider" value="acme"/>
        <zeebe:header key="timeoutSeconds" value="30"/>
      </zeebe:taskHeaders>
      <zeebe:ioMapping>
        <zeebe:input source="=customer.id" target="customerId"/>
        <zeebe:input source="static" target="mode"/>
        <zeebe:output source="=result.verified" target="kyc.verified"/>
      </zeebe:ioMapping>
    </extensionElements>
  </serviceTask>
  <boundaryEvent id="kycTimeout" attachedToRef="kyc" cancelActivity="false">
    <timerEventDefinition><timeCycle>R3/PT10M</timeCycle></timerEventDefinition>
  </boundaryEvent>
  <boundaryEvent id="kycFailed" attachedToRef="kyc">
    <errorEventDefinition errorRef="KycError"/>
  </boundaryEvent>
  <boundaryEvent id="kycCancelled" attachedToRef="kyc">
    <messageEventDefinition messageRef="CancelMessage"/>
  </boundaryEvent>
  <serviceTask id="credit">
    <extensionElements><zeebe:taskDefinition type="credit-check" retries="=maxRetries"/></extensionElements>
  </serviceTask>
  <userTask id="approve" name="Approve order">
    <extensionElements>
      <zeebe:userTask/>
      <zeebe:assignmentDefinition assignee="=account.owner" candidateGroups="sales, risk" candidateUsers="=[&quot;anna&quot;, &quot;ben&quot;]"/>
      <zeebe:formDefinition formKey="camunda-forms:bpmn:ApprovalForm"/>
      <zeebe:taskSchedule dueDate="=now() + duration(&quot;P2D&quot;)" followUpDate="2026-01-01T09:00:00Z"/>
    </extensionElements>
  </userTask>
  <userTask id="review">
    <extensionElements>
      <zeebe:userTask/>
      <zeebe:formDefinition formId="review-form"/>
    </extensionElements>
  </userTask>
  <userTask id="legacyForm">
    <extensionElements><zeebe:formDefinition formKey="app:forms/legacy"/></extensionElements>
  </userTask>
  <scriptTask id="price">
    <extensionElements><zeebe:script expression="=sum(order.lines.amount)" resultVariable="total"/></extensionElements>
  </scriptTask>
  <exclusiveGateway id="approved" default="approved-rejected"/>
  <intermediateCatchEvent id="paid">
    <messageEventDefinition messageRef="PaidMessage"/>
  </intermediateCatchEvent>
  <receiveTask id="delivered" messageRef="DeliveredMessage"/>
  <sendTask id="notify">${job('notify-customer', 5)}</sendTask>
  <endEvent id="done"/>
  <endEvent id="rejected"><errorEventDefinition errorRef="RejectedError"/></endEvent>
  <endEvent id="failed"/>
  <endEvent id="remind"/>
  <endEvent id="cancelled"><terminateEventDefinition/></endEvent>
  ${flows('start', 'kyc', 'credit', 'approve', 'review', 'legacyForm', 'price', 'approved')}
  ${flow('approved', 'paid', '=approved = true')}
  ${flows('paid', 'delivered', 'notify', 'done')}
  ${flow('approved', 'rejected')}
  ${flow('kycTimeout', 'remind')}
  ${flow('kycFailed', 'failed')}
  ${flow('kycCancelled', 'cancelled')}`,
  {
    id: 'order',
    rootElements: `
  <error id="KycError" name="KYC failed" errorCode="KYC_FAILED"/>
  <error id="RejectedError" name="Rejected" errorCode="ORDER_REJECTED"/>
  ${message('CancelMessage', 'order-cancelled', '=orderId')}
  ${message('PaidMessage', 'payment-received', '=orderId')}
  ${message('DeliveredMessage', 'delivered', 'static-key')}`,
  },
);

describe('compileBpmn', () => {
  describe('the zeebe extensions', () => {
    it('compiles zeebe:taskDefinition with a FEEL type and the default of 3 retries', async () => {
      const order = await compiledOne(ORDER);

      expect(element(order, 'kyc').job).toEqual({
        type: '="kyc-" + region',
        retries: '3',
        headers: { provider: 'acme', timeoutSeconds: '30' },
      });
      expect(element(order, 'credit').job).toEqual({ type: 'credit-check', retries: '=maxRetries', headers: {} });
      expect(element(order, 'notify').job).toEqual({ type: 'notify-customer', retries: '5', headers: {} });
    });

    it('compiles zeebe:ioMapping inputs and outputs in document order', async () => {
      const order = await compiledOne(ORDER);

      expect(element(order, 'kyc').inputs).toEqual([
        { source: '=customer.id', target: 'customerId' },
        { source: 'static', target: 'mode' },
      ]);
      expect(element(order, 'kyc').outputs).toEqual([{ source: '=result.verified', target: 'kyc.verified' }]);
      expect(element(order, 'credit').inputs).toEqual([]);
      expect(element(order, 'credit').outputs).toEqual([]);
    });

    it('compiles the message and zeebe:subscription correlation key of catch events, receive tasks and boundary events', async () => {
      const order = await compiledOne(ORDER);

      expect(element(order, 'paid').trigger).toEqual({ type: 'message', message: { name: 'payment-received', correlationKey: '=orderId' } });
      expect(element(order, 'delivered').trigger).toEqual({ type: 'message', message: { name: 'delivered', correlationKey: 'static-key' } });
      expect(element(order, 'kycCancelled').trigger).toEqual({ type: 'message', message: { name: 'order-cancelled', correlationKey: '=orderId' } });
    });

    it('compiles a message start event without a correlation key', async () => {
      const process = await compiledOne(
        bpmn(`<startEvent id="start"><messageEventDefinition messageRef="m"/></startEvent><endEvent id="end"/>${flows('start', 'end')}`, {
          rootElements: message('m', 'order-placed'),
        }),
      );

      expect(element(process, 'start').trigger).toEqual({ type: 'message', message: { name: 'order-placed', correlationKey: null } });
    });

    it('compiles zeebe:assignmentDefinition, zeebe:taskSchedule and the embedded zeebe:userTaskForm', async () => {
      const order = await compiledOne(ORDER);

      expect(element(order, 'approve').userTask).toEqual({
        assignee: '=account.owner',
        candidateGroups: 'sales, risk',
        candidateUsers: '=["anna", "ben"]',
        formKey: 'camunda-forms:bpmn:ApprovalForm',
        formId: null,
        formBody: '{"components":[{"key":"approved","type":"checkbox"}]}',
        dueDate: '=now() + duration("P2D")',
        followUpDate: '2026-01-01T09:00:00Z',
      });
    });

    it('compiles zeebe:formDefinition with a formId or an external formKey', async () => {
      const order = await compiledOne(ORDER);

      expect(element(order, 'review').userTask).toEqual({
        assignee: null,
        candidateGroups: null,
        candidateUsers: null,
        formKey: null,
        formId: 'review-form',
        formBody: null,
        dueDate: null,
        followUpDate: null,
      });
      expect(element(order, 'legacyForm').userTask).toMatchObject({ formKey: 'app:forms/legacy', formId: null, formBody: null });
    });

    it('compiles zeebe:script into its expression and result variable', async () => {
      const order = await compiledOne(ORDER);

      expect(element(order, 'price').script).toEqual({ expression: '=sum(order.lines.amount)', resultVariable: 'total' });
      expect(element(order, 'price').job).toBeNull();
    });

    it('compiles the zeebe:versionTag and the process name and key', async () => {
      const order = await compiledOne(ORDER);

      expect(order.key).toBe('order');
      expect(order.versionTag).toBe('v7');
      expect(order.startEvents).toEqual(['start']);
    });

    it('keeps specs of other kinds empty', async () => {
      const order = await compiledOne(ORDER);

      for (const field of ['userTask', 'script', 'trigger']) expect(element(order, 'kyc')).not.toHaveProperty(field);
      for (const field of ['job', 'script', 'trigger']) expect(element(order, 'approve')).not.toHaveProperty(field);
      for (const field of ['job', 'userTask', 'script']) expect(element(order, 'start')).not.toHaveProperty(field);
      expect(element(order, 'start')).toMatchObject({ trigger: { type: 'none' } });
    });
  });

  describe('events', () => {
    it('attaches boundary events to their host, in document order, with cancelActivity', async () => {
      const order = await compiledOne(ORDER);

      expect(element(order, 'kyc').boundaries).toEqual(['kycTimeout', 'kycFailed', 'kycCancelled']);
      expect(element(order, 'kycTimeout')).toMatchObject({ kind: 'boundaryEvent', attachedTo: 'kyc', cancelActivity: false, incoming: [], outgoing: ['kycTimeout-remind'] });
      expect(element(order, 'kycFailed')).toMatchObject({ attachedTo: 'kyc', cancelActivity: true, trigger: { type: 'error', errorCode: 'KYC_FAILED' } });
      expect(element(order, 'kycCancelled')).toMatchObject({ attachedTo: 'kyc', cancelActivity: true });
      expect(element(order, 'credit').boundaries).toEqual([]);
    });

    it('compiles an error end event with its error code and a terminate end event', async () => {
      const order = await compiledOne(ORDER);

      expect(element(order, 'rejected').trigger).toEqual({ type: 'error', errorCode: 'ORDER_REJECTED' });
      expect(element(order, 'cancelled').trigger).toEqual({ type: 'terminate' });
      expect(element(order, 'done').trigger).toEqual({ type: 'none' });
    });

    it('compiles an error boundary event without an error as a catch-all', async () => {
      const process = await compiledOne(
        bpmn(`<startEvent id="start"/><serviceTask id="work">${job('work')}</serviceTask>
          <boundaryEvent id="anyError" attachedToRef="work"><errorEventDefinition/></boundaryEvent>
          <endEvent id="end"/><endEvent id="failed"/>${flows('start', 'work', 'end')}${flow('anyError', 'failed')}`),
      );

      expect(element(process, 'anyError').trigger).toEqual({ type: 'error', errorCode: null });
    });

    it.each([
      ['timeDuration', 'PT15M', 'duration'],
      ['timeDate', '2026-01-01T09:00:00@Europe/Berlin', 'date'],
      ['timeCycle', 'R/2026-01-01T00:00:00Z/P1D', 'cycle'],
      ['timeCycle', '0 0 9 * * MON-FRI', 'cycle'],
      ['timeDuration', '=reminderDelay', 'duration'],
    ])('compiles <%s>%s</...> on start, catch and boundary events as a %s timer', async (tag, value, kind) => {
      const timer = `<timerEventDefinition><${tag}> ${value} </${tag}></timerEventDefinition>`;
      const process = await compiledOne(
        bpmn(`
          <startEvent id="start"/>
          <startEvent id="timerStart">${timer}</startEvent>
          <intermediateCatchEvent id="wait">${timer}</intermediateCatchEvent>
          <userTask id="task"/>
          <boundaryEvent id="timeout" attachedToRef="task">${timer}</boundaryEvent>
          <endEvent id="end"/>
          ${flows('start', 'wait', 'task', 'end')}${flow('timerStart', 'task')}${flow('timeout', 'end')}`),
      );

      const expected = { type: 'timer', timer: { kind, expr: value } };
      expect(element(process, 'timerStart').trigger).toEqual(expected);
      expect(element(process, 'wait').trigger).toEqual(expected);
      expect(element(process, 'timeout').trigger).toEqual(expected);
      expect(process.startEvents).toEqual(['start', 'timerStart']);
    });
  });

  describe('flows', () => {
    it('compiles sequence flows with their source, target and incoming/outgoing lists', async () => {
      const order = await compiledOne(ORDER);

      expect(order.flows['start-kyc']).toEqual({ id: 'start-kyc', name: null, source: 'start', target: 'kyc', condition: null });
      expect(element(order, 'start')).toMatchObject({ incoming: [], outgoing: ['start-kyc'] });
      expect(element(order, 'kyc')).toMatchObject({ incoming: ['start-kyc'], outgoing: ['kyc-credit'] });
      expect(element(order, 'done')).toMatchObject({ incoming: ['notify-done'], outgoing: [] });
    });

    it('compiles conditions and the default flow of a gateway', async () => {
      const order = await compiledOne(ORDER);

      expect(element(order, 'approved')).toMatchObject({
        kind: 'exclusiveGateway',
        defaultFlow: 'approved-rejected',
        outgoing: ['approved-paid', 'approved-rejected'],
      });
      expect(order.flows['approved-paid']?.condition).toBe('=approved = true');
      expect(order.flows['approved-rejected']?.condition).toBeNull();
    });

    it('trims conditions and keeps the flow name', async () => {
      const process = await compiledOne(
        bpmn(`<startEvent id="start"/><inclusiveGateway id="split" default="big"/><endEvent id="a"/><endEvent id="b"/>
          ${flows('start', 'split')}
          <sequenceFlow id="small" name="small order" sourceRef="split" targetRef="a"><conditionExpression xsi:type="tFormalExpression">
            = amount &lt; 100
          </conditionExpression></sequenceFlow>
          ${flow('split', 'b', undefined, 'big')}`),
      );

      expect(process.flows['small']).toEqual({ id: 'small', name: 'small order', source: 'split', target: 'a', condition: '= amount < 100' });
      expect(element(process, 'split').defaultFlow).toBe('big');
    });
  });

  describe('scopes', () => {
    const NESTED = bpmn(`
      <startEvent id="start"/>
      <subProcess id="outer">
        <startEvent id="outerStart"/>
        <subProcess id="inner">
          <startEvent id="innerStart"/>
          <task id="innerTask"/>
          <endEvent id="innerEnd"/>
          ${flows('innerStart', 'innerTask', 'innerEnd')}
        </subProcess>
        <endEvent id="outerEnd"/>
        ${flows('outerStart', 'inner', 'outerEnd')}
      </subProcess>
      <endEvent id="end"/>
      ${flows('start', 'outer', 'end')}`);

    it('gives each element its enclosing subprocess as parent', async () => {
      const process = await compiledOne(NESTED);

      expect(element(process, 'outer').parent).toBeNull();
      expect(element(process, 'outerStart').parent).toBe('outer');
      expect(element(process, 'inner').parent).toBe('outer');
      expect(element(process, 'innerTask').parent).toBe('inner');
      expect(element(process, 'end').parent).toBeNull();
    });

    it('records the start event of each subprocess and only process-level start events', async () => {
      const process = await compiledOne(NESTED);

      expect(element(process, 'outer').start).toBe('outerStart');
      expect(element(process, 'inner').start).toBe('innerStart');
      expect(element(process, 'start').start).toBeUndefined();
      expect(process.startEvents).toEqual(['start']);
    });
  });

  describe('inclusive joins', () => {
    it('records the elements of its scope from which a token can still reach the join', async () => {
      const process = await compiledOne(
        bpmn(`
          <startEvent id="start"/>
          <inclusiveGateway id="fork"/>
          <userTask id="a"/>
          <boundaryEvent id="aLate" attachedToRef="a"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
          <task id="escalate"/>
          <subProcess id="b">
            <startEvent id="bStart"/><task id="bTask"/><endEvent id="bEnd"/>
            ${flows('bStart', 'bTask', 'bEnd')}
          </subProcess>
          <inclusiveGateway id="join"/>
          <task id="after"/>
          <endEvent id="end"/>
          ${flows('start', 'fork')}
          ${flow('fork', 'a', '=x > 1')}${flow('fork', 'b', '=x > 2')}
          ${flows('a', 'join')}${flows('b', 'join')}${flows('aLate', 'escalate', 'join')}
          ${flows('join', 'after', 'end')}`),
      );

      expect(element(process, 'join').reachableFrom).toEqual(['a', 'aLate', 'b', 'escalate', 'fork', 'start']);
      expect(element(process, 'fork').reachableFrom).toEqual([]);
    });

    it('does not count the join itself nor what lies after it on a loop', async () => {
      const process = await compiledOne(
        bpmn(`
          <startEvent id="start"/>
          <inclusiveGateway id="join"/>
          <task id="work"/>
          <exclusiveGateway id="again" default="again-end"/>
          <endEvent id="end"/>
          ${flows('start', 'join', 'work', 'again')}
          ${flow('again', 'join', '=retry')}${flow('again', 'end')}`),
      );

      expect(element(process, 'join').reachableFrom).toEqual(['again', 'start', 'work']);
    });
  });

  describe('documents', () => {
    it('compiles each executable process of a document into its own definition', async () => {
      const xml = bpmn(`<startEvent id="start"/><endEvent id="end"/>${flows('start', 'end')}`, {
        id: 'first',
        rootElements: `
          <process id="second" name="Second" isExecutable="true">
            <startEvent id="s2"/><task id="t2"/><endEvent id="e2"/>${flows('s2', 't2', 'e2')}
          </process>
          <process id="sketch" isExecutable="false"><task id="draft"/></process>`,
      });

      const processes = await compiled(xml);

      expect(processes.map((p) => p.key).sort()).toEqual(['first', 'second']);
      const second = processes.find((p) => p.key === 'second');
      expect(second?.name).toBe('Second');
      expect(Object.keys(second?.elements ?? {}).sort()).toEqual(['e2', 's2', 't2']);
      expect(processes.find((p) => p.key === 'first')?.elements['t2']).toBeUndefined();
    });

    it('produces JSON-serialisable definitions (a JSON round trip is deep-equal)', async () => {
      const result = await compileBpmn(ORDER);

      expect(result.ok).toBe(true);
      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    });

    it('hashes the XML with sha256 into the result and every definition', async () => {
      const result = await compileBpmn(ORDER);
      const expected = createHash('sha256').update(ORDER, 'utf8').digest('hex');

      expect(result.hash).toBe(expected);
      expect(result.ok ? result.processes.map((p) => p.hash) : []).toEqual([expected]);
    });

    it('returns the cached result (the same promise and object) for identical XML', async () => {
      const xml = bpmn(`<startEvent id="start"/><endEvent id="end"/>${flows('start', 'end')}`, { id: 'cached' });

      const first = compileBpmn(xml);
      const second = compileBpmn(`${xml}`);

      expect(second).toBe(first);
      expect(await second).toBe(await first);
    });

    it('compiles different XML (one more space) separately, with another hash', async () => {
      const xml = bpmn(`<startEvent id="start"/><endEvent id="end"/>${flows('start', 'end')}`, { id: 'spaced' });

      const first = await compileBpmn(xml);
      const second = await compileBpmn(`${xml} `);

      expect(second).not.toBe(first);
      expect(second.hash).not.toBe(first.hash);
      expect(second.ok && first.ok ? second.processes[0]?.elements : null).toEqual(first.ok ? first.processes[0]?.elements : undefined);
    });
  });
});
