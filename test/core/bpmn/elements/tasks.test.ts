import { describe, expect, it } from 'vitest';
import { flows, job } from '../../../../lib/testing/index.ts';
import { lifecycle, run, trace } from '../../helpers.ts';

const serviceTask = (extra = '', retries = 3) => `
  <startEvent id="start"/>
  <serviceTask id="work">${job('work', retries, extra)}</serviceTask>
  <endEvent id="end"/>
  ${flows('start', 'work', 'end')}`;

describe('service task', () => {
  it('creates a job and waits for it, then completes with its variables', async () => {
    const { pi } = await run(serviceTask());
    expect(pi.activeElements()).toEqual(['work']);
    await pi.completeJob('work', { result: 42 });
    expect(trace(pi)).toEqual([
      'InstanceStarted',
      'ElementActivated:start', 'ElementCompleted:start', 'FlowTaken',
      'ElementActivated:work', 'JobCreated', 'JobCompleted', 'VariablesSet', 'ElementCompleted:work', 'FlowTaken',
      'ElementActivated:end', 'ElementCompleted:end',
      'InstanceCompleted',
    ]);
    expect(pi.status).toBe('completed');
    expect(pi.variables).toEqual({ result: 42 });
  });

  it('puts type, retries, headers and mapped inputs on the job effect', async () => {
    const extra = `<zeebe:taskHeaders><zeebe:header key="url" value="https://kyc.example"/></zeebe:taskHeaders>
      <zeebe:ioMapping><zeebe:input source="=order.total * 2" target="doubled"/></zeebe:ioMapping>`;
    const { pi } = await run(serviceTask(extra, 5), { order: { total: 21 } });
    const [jobEffect] = pi.jobs();
    expect(jobEffect).toMatchObject({ jobType: 'work', retries: 5, headers: { url: 'https://kyc.example' }, elementId: 'work' });
    expect(jobEffect?.variables).toEqual({ order: { total: 21 }, doubled: 42 });
    expect(jobEffect?.jobId).toBe(`${pi.id}.3`);
  });

  it('evaluates a FEEL job type', async () => {
    const body = `<startEvent id="start"/><serviceTask id="work"><extensionElements><zeebe:taskDefinition type="=&quot;kind-&quot; + kind"/></extensionElements></serviceTask><endEvent id="end"/>${flows('start', 'work', 'end')}`;
    const { pi } = await run(body, { kind: 'a' });
    expect(pi.jobs()[0]?.jobType).toBe('kind-a');
  });

  it('keeps job variables local and applies output mappings when the task has outputs', async () => {
    const extra = '<zeebe:ioMapping><zeebe:output source="=raw.score" target="score"/></zeebe:ioMapping>';
    const { pi } = await run(serviceTask(extra));
    await pi.completeJob('work', { raw: { score: 7 }, noise: true });
    expect(pi.variables).toEqual({ score: 7 });
  });

  it('re-offers a failed job with its remaining retries and backoff', async () => {
    const { pi } = await run(serviceTask());
    await pi.failJob('work', 2, 'KYC platform down', 30_000);
    const offered = pi.effects.filter((e) => e.type === 'job.activatable');
    expect(offered).toHaveLength(2);
    expect(offered[1]).toMatchObject({ retries: 2, availableAt: pi.state.startedAt + 30_000 });
    expect(pi.incidents()).toEqual([]);
    await pi.completeJob('work');
    expect(pi.status).toBe('completed');
  });

  it('raises an incident when a job fails with no retries left, and resolving it re-offers the job', async () => {
    const { pi } = await run(serviceTask());
    await pi.failJob('work', 0, 'card declined');
    expect(pi.incidents()).toEqual([expect.objectContaining({ kind: 'job', elementId: 'work', message: expect.stringContaining('card declined') })]);
    const rejected = await pi.send({ type: 'completeJob', jobId: pi.jobs()[0]?.jobId ?? '' });
    expect(rejected.rejection?.code).toBe('INVALID_STATE');
    await pi.resolveIncident(undefined, 2);
    expect(pi.incidents()).toEqual([]);
    expect(pi.state.jobs[Object.keys(pi.state.jobs)[0] ?? '']?.retries).toBe(2);
    await pi.completeJob('work');
    expect(pi.status).toBe('completed');
  });
});

describe('user task', () => {
  it('creates a task with assignee, candidate groups and users, form and schedule', async () => {
    const body = `<startEvent id="start"/>
      <userTask id="approve" name="Approve order"><extensionElements>
        <zeebe:userTask/>
        <zeebe:assignmentDefinition assignee="=owner" candidateGroups="sales, managers" candidateUsers="=[&quot;ann&quot;, &quot;bob&quot;]"/>
        <zeebe:formDefinition formId="approve-form"/>
        <zeebe:taskSchedule dueDate="2026-02-01T00:00:00Z"/>
      </extensionElements></userTask>
      <endEvent id="end"/>${flows('start', 'approve', 'end')}`;
    const { pi } = await run(body, { owner: 'carol' });
    expect(pi.tasks()).toEqual([expect.objectContaining({
      elementId: 'approve', name: 'Approve order', assignee: 'carol', candidateGroups: ['sales', 'managers'],
      candidateUsers: ['ann', 'bob'], formId: 'approve-form', dueDate: '2026-02-01T00:00:00Z',
    })]);
    await pi.completeTask('approve', { approved: true });
    expect(pi.status).toBe('completed');
    expect(pi.variables).toEqual({ owner: 'carol', approved: true });
  });
});

describe('script task', () => {
  it('sets the result variable from its FEEL script', async () => {
    const body = `<startEvent id="start"/>
      <scriptTask id="calc"><extensionElements><zeebe:script expression="=sum(items)" resultVariable="total"/></extensionElements></scriptTask>
      <endEvent id="end"/>${flows('start', 'calc', 'end')}`;
    const { pi } = await run(body, { items: [1, 2, 3] });
    expect(pi.status).toBe('completed');
    expect(pi.variables['total']).toBe(6);
  });

  it('raises an incident naming the element when the script fails, and continues once resolved', async () => {
    const body = `<startEvent id="start"/>
      <scriptTask id="calc"><extensionElements><zeebe:script expression="=missing + 1" resultVariable="total"/></extensionElements></scriptTask>
      <endEvent id="end"/>${flows('start', 'calc', 'end')}`;
    const { pi } = await run(body);
    expect(pi.incidents()).toEqual([expect.objectContaining({ elementId: 'calc', kind: 'expression', message: expect.stringContaining('missing') })]);
    await pi.setVariables({ missing: 1 });
    await pi.resolveIncident();
    expect(pi.status).toBe('completed');
    expect(pi.variables['total']).toBe(2);
  });
});

describe('send task and message throw events', () => {
  it('publishes the message with its correlation key and mapped payload', async () => {
    const root = `<message id="m" name="order-shipped"><extensionElements><zeebe:subscription correlationKey="=orderId"/></extensionElements></message>`;
    const body = `<startEvent id="start"/>
      <sendTask id="notify" messageRef="m"><extensionElements><zeebe:ioMapping><zeebe:input source="=orderId" target="id"/></zeebe:ioMapping></extensionElements></sendTask>
      <intermediateThrowEvent id="throw"><messageEventDefinition messageRef="m"/></intermediateThrowEvent>
      <endEvent id="end"><messageEventDefinition messageRef="m"/></endEvent>
      ${flows('start', 'notify', 'throw', 'end')}`;
    const { pi } = await run(body, { orderId: 'o-7' }, root);
    const published = pi.effects.filter((e) => e.type === 'message.publish');
    expect(published.map((e) => [e.elementId, e.name, e.correlationKey])).toEqual([
      ['notify', 'order-shipped', 'o-7'], ['throw', 'order-shipped', 'o-7'], ['end', 'order-shipped', 'o-7'],
    ]);
    expect(published[0]?.variables).toEqual({ id: 'o-7' });
    expect(pi.status).toBe('completed');
  });

  it('runs a send task with a task definition as a job (the Camunda 8 way)', async () => {
    const body = `<startEvent id="start"/><sendTask id="notify">${job('email')}</sendTask><endEvent id="end"/>${flows('start', 'notify', 'end')}`;
    const { pi } = await run(body);
    expect(pi.jobs().map((j) => j.jobType)).toEqual(['email']);
  });
});

describe('receive task', () => {
  it('waits for its message by correlation key and takes its variables', async () => {
    const root = `<message id="m" name="paid"><extensionElements><zeebe:subscription correlationKey="=orderId"/></extensionElements></message>`;
    const body = `<startEvent id="start"/><receiveTask id="wait" messageRef="m"/><endEvent id="end"/>${flows('start', 'wait', 'end')}`;
    const { pi } = await run(body, { orderId: 'o-1' }, root);
    expect(pi.effects).toContainEqual(expect.objectContaining({ type: 'subscription.opened', messageName: 'paid', correlationKey: 'o-1' }));
    expect((await pi.correlate('paid', 'o-2')).rejection?.code).toBe('NOT_FOUND');
    await pi.correlate('paid', 'o-1', { amount: 10 });
    expect(pi.status).toBe('completed');
    expect(pi.variables).toEqual({ orderId: 'o-1', amount: 10 });
  });
});

describe('manual and undefined tasks', () => {
  it('pass straight through', async () => {
    const { pi } = await run(`<startEvent id="start"/><task id="t"/><manualTask id="m"/><endEvent id="end"/>${flows('start', 't', 'm', 'end')}`);
    expect(lifecycle(pi)).toEqual(['+start', '-start', '+t', '-t', '+m', '-m', '+end', '-end']);
    expect(pi.status).toBe('completed');
  });
});
