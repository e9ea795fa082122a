/** /v1/messages and /v1/signals: correlation before (buffered) and after a subscription opens, message starts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmn, escapeXml, flows, message } from '../../lib/testing/index.ts';
import { startApi, until, type TestApi } from './harness.ts';

const catchPaid = (id: string) => `<intermediateCatchEvent id="${id}"><messageEventDefinition messageRef="Paid"/></intermediateCatchEvent>`;
const payment = bpmn(`<startEvent id="s"/>${catchPaid('paid1')}${catchPaid('paid2')}<endEvent id="e"/>${flows('s', 'paid1', 'paid2', 'e')}`,
  { id: 'payment', rootElements: message('Paid', 'paid', '=orderId') });
const onOrder = (start: string) => bpmn(`${start}<endEvent id="e"/>${flows('s', 'e')}`, { id: 'on-order', rootElements: message('Placed', 'order-placed') });

let t: TestApi;
const deploy = async (xml: string) => (await t.call('POST', '/v1/definitions', { body: xml, headers: { 'content-type': 'application/xml' } })).body;
beforeAll(async () => {
  t = await startApi();
  await deploy(payment);
  await deploy(onOrder('<startEvent id="s"><messageEventDefinition messageRef="Placed"/></startEvent>'));
});
afterAll(async () => { await t.stop(); });

async function startPayment(orderId: string): Promise<string> {
  const started = await t.call('POST', '/v1/instances', { body: { definitionKey: 'payment', variables: { orderId } } });
  expect(started.status).toBe(201);
  return started.body.instanceId as string;
}

const publish = (body: Record<string, unknown>) => t.call('POST', '/v1/messages', { body });
const instance = async (id: string) => (await t.call('GET', `/v1/instances/${id}`)).body;
const waitsAt = (id: string, element: string) => until(async () => (await instance(id)).activeElements[0] === element);

describe('POST /v1/messages', () => {
  it('correlates to an open subscription, once per message id', async () => {
    const id = await startPayment('o-1');
    const first = await publish({ name: 'paid', correlationKey: 'o-1', variables: { amount: 5 }, messageId: 'm-1' });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ messageId: 'm-1', correlated: 1, started: 0, buffered: false });
    await waitsAt(id, 'paid2');
    expect((await instance(id)).variables).toMatchObject({ amount: 5 });

    // The same message again reaches the second subscription but changes nothing.
    await publish({ name: 'paid', correlationKey: 'o-1', messageId: 'm-1' });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await instance(id)).activeElements).toEqual(['paid2']);

    expect((await publish({ name: 'paid', correlationKey: 'o-1', variables: { amount: 7 } })).body.correlated).toBe(1);
    await until(async () => (await instance(id)).status === 'completed');
    expect((await instance(id)).variables).toMatchObject({ amount: 7 });
  });

  it('buffers a message with a time to live for a subscription opened later; without one it is gone', async () => {
    const buffered = await publish({ name: 'paid', correlationKey: 'o-2', variables: { early: true }, timeToLiveMs: 60_000 });
    expect(buffered.body).toMatchObject({ correlated: 0, buffered: true });
    await publish({ name: 'paid', correlationKey: 'o-3' });
    const later = await startPayment('o-2');
    const missed = await startPayment('o-3');
    await waitsAt(later, 'paid2');
    expect((await instance(later)).variables).toMatchObject({ early: true });
    expect((await instance(missed)).activeElements).toEqual(['paid1']);
  });

  it('starts the processes whose message start event has its name, once per message id', async () => {
    const started = await publish({ name: 'order-placed', correlationKey: '', variables: { sku: 'x-1' }, messageId: 'placed-1' });
    expect(started.body).toEqual({ messageId: 'placed-1', correlated: 1, started: 1, buffered: false });
    const list = async () => {
      const completed = await t.call('GET', '/v1/instances', { query: { definitionKey: 'on-order', status: 'completed' } });
      return completed.body.items as Array<{ instanceId: string }>;
    };
    const [one] = await until(async () => { const items = await list(); return items.length > 0 && items; });
    expect((await instance(one!.instanceId)).variables).toEqual({ sku: 'x-1' });
    await publish({ name: 'order-placed', correlationKey: '', messageId: 'placed-1' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await list()).toHaveLength(1);

    // A newer version without the message start event: the message starts nothing any more.
    expect(await deploy(onOrder('<startEvent id="s"/>'))).toEqual({ deployed: [{ key: 'on-order', version: 2 }] });
    expect((await publish({ name: 'order-placed', correlationKey: '' })).body).toMatchObject({ correlated: 0, started: 0 });
  });

  it('refuses invalid messages with details', async () => {
    const bad = await publish({ correlationKey: 'x', timeToLiveMs: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['name', 'timeToLiveMs']);
  });
});

describe('POST /v1/signals', () => {
  const SIGNAL = '<signal id="sig" name="price-freeze"/>';
  const waiter = bpmn(`<startEvent id="s"/><intermediateCatchEvent id="wait"><signalEventDefinition signalRef="sig"/></intermediateCatchEvent><endEvent id="e"/>${flows('s', 'wait', 'e')}`,
    { id: 'freeze-wait', rootElements: SIGNAL });
  const starter = bpmn(`<startEvent id="s"><signalEventDefinition signalRef="sig"/></startEvent><endEvent id="e"/>${flows('s', 'e')}`, { id: 'freeze-start', rootElements: SIGNAL });
  const thrower = bpmn(`<startEvent id="s"/><intermediateThrowEvent id="throw"><signalEventDefinition signalRef="sig"/></intermediateThrowEvent><endEvent id="e"/>${flows('s', 'throw', 'e')}`,
    { id: 'freeze-throw', rootElements: SIGNAL });
  const completed = async (key: string) => (await t.call('GET', '/v1/instances', { query: { definitionKey: key, status: 'completed' } })).body.items as Array<{ instanceId: string }>;
  const startWaiters = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const started = await t.call('POST', '/v1/instances', { body: { definitionKey: 'freeze-wait' } });
      ids.push(started.body.instanceId as string);
    }
    for (const id of ids) await waitsAt(id, 'wait');
    return ids;
  };

  beforeAll(async () => {
    for (const xml of [waiter, starter, thrower]) await deploy(xml);
  });

  it('reaches every waiting instance and starts the signal start processes, once per signal id', async () => {
    const ids = await startWaiters(3);
    const answer = await t.call('POST', '/v1/signals', { body: { name: 'price-freeze', variables: { frozen: 1 }, signalId: 'freeze-1' } });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ signalId: 'freeze-1', signaled: 4, started: 1 });
    for (const id of ids) await until(async () => (await instance(id)).status === 'completed');
    for (const id of ids) expect((await instance(id)).variables).toEqual({ frozen: 1 });
    const [one] = await until(async () => { const items = await completed('freeze-start'); return items.length > 0 && items; });
    expect((await instance(one!.instanceId)).variables).toEqual({ frozen: 1 });

    // The same signal id again starts nothing new; another signal name reaches nobody.
    expect((await t.call('POST', '/v1/signals', { body: { name: 'price-freeze', signalId: 'freeze-1' } })).body).toMatchObject({ signaled: 1, started: 1 });
    expect((await t.call('POST', '/v1/signals', { body: { name: 'other' } })).body).toMatchObject({ signaled: 0, started: 0 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await completed('freeze-start')).toHaveLength(1);
  });

  it('a signal thrown inside one instance reaches the others waiting for it', async () => {
    const ids = await startWaiters(2);
    const before = (await completed('freeze-start')).length;
    const throwing = await t.call('POST', '/v1/instances', { body: { definitionKey: 'freeze-throw', variables: { by: 'thrower' } } });
    expect(throwing.status).toBe(201);
    for (const id of ids) await until(async () => (await instance(id)).status === 'completed');
    await until(async () => (await completed('freeze-start')).length === before + 1);
  });

  it('refuses a message name in the signal namespace', async () => {
    const answer = await publish({ name: 'signal:price-freeze', correlationKey: '' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/may not start with 'signal:'/);
  });
});

describe('conditions on published messages', () => {
  const condition = (feel: string) => `<extensionElements><zeebe:properties><zeebe:property name="condition" value="${escapeXml(feel)}"/></zeebe:properties></extensionElements>`;
  const bigPayment = bpmn(`<startEvent id="s"/><intermediateCatchEvent id="big">${condition('=payload.amount > 100')}<messageEventDefinition messageRef="Big"/></intermediateCatchEvent>
    <endEvent id="e"/>${flows('s', 'big', 'e')}`, { id: 'big-payment', rootElements: message('Big', 'payment', '=orderId') });
  const vipOrder = bpmn(`<startEvent id="s">${condition('=payload.vip = true')}<messageEventDefinition messageRef="Vip"/></startEvent><endEvent id="e"/>${flows('s', 'e')}`,
    { id: 'vip-order', rootElements: message('Vip', 'vip-order') });

  beforeAll(async () => {
    await deploy(bigPayment);
    await deploy(vipOrder);
  });

  it('a message reaches a waiting catch event only when its condition holds', async () => {
    const started = await t.call('POST', '/v1/instances', { body: { definitionKey: 'big-payment', variables: { orderId: 'c-1' } } });
    const id = started.body.instanceId as string;
    await waitsAt(id, 'big');
    expect((await publish({ name: 'payment', correlationKey: 'c-1', variables: { amount: 50 } })).body).toMatchObject({ correlated: 0 });
    expect((await publish({ name: 'payment', correlationKey: 'c-1', variables: { amount: 'lots' } })).body).toMatchObject({ correlated: 0 });
    expect((await publish({ name: 'payment', correlationKey: 'c-1', variables: { amount: 150 } })).body).toMatchObject({ correlated: 1 });
    await until(async () => (await instance(id)).status === 'completed');
    expect((await instance(id)).variables).toEqual({ orderId: 'c-1', amount: 150 });
  });

  it('a message starts a process only when its start condition holds', async () => {
    expect((await publish({ name: 'vip-order', correlationKey: '', variables: { vip: false } })).body).toMatchObject({ started: 0 });
    expect((await publish({ name: 'vip-order', correlationKey: '', variables: { vip: true } })).body).toMatchObject({ started: 1 });
  });
});

describe('POST /v1/conditions', () => {
  const when = (feel: string) => `<conditionalEventDefinition><condition xsi:type="tFormalExpression">${escapeXml(feel)}</condition></conditionalEventDefinition>`;
  const bigOrder = bpmn(`<startEvent id="big">${when('=amount > 1000')}</startEvent><endEvent id="e"/>${flows('big', 'e')}`, { id: 'big-order' });
  const anyOrder = bpmn(`<startEvent id="any">${when('=amount > 0')}</startEvent><userTask id="review"/><endEvent id="e"/>${flows('any', 'review', 'e')}`, { id: 'any-order' });
  const evaluate = (body: Record<string, unknown>) => t.call('POST', '/v1/conditions', { body });

  beforeAll(async () => {
    await deploy(bigOrder);
    await deploy(anyOrder);
  });

  it('starts every process whose conditional start event holds over the variables, once per request id', async () => {
    const small = await evaluate({ variables: { amount: 5 }, requestId: 'c-small' });
    expect(small.status).toBe(202);
    expect(small.body.started.map((s: { definitionKey: string }) => s.definitionKey)).toEqual(['any-order']);
    const big = await evaluate({ variables: { amount: 5000 }, requestId: 'c-big' });
    expect(big.body.started.map((s: { definitionKey: string; startEventId: string }) => `${s.definitionKey}:${s.startEventId}`).sort()).toEqual(['any-order:any', 'big-order:big']);
    for (const { instanceId } of big.body.started as Array<{ instanceId: string }>) {
      await until(async () => (await t.call('GET', `/v1/instances/${instanceId}`)).status === 200);
      expect((await instance(instanceId)).variables).toEqual({ amount: 5000 });
    }
    const [reviewing] = big.body.started.filter((s: { definitionKey: string }) => s.definitionKey === 'any-order') as Array<{ instanceId: string }>;
    expect((await instance(reviewing!.instanceId)).activeElements).toEqual(['review']);

    // The same request again names the same instances and starts nothing new.
    const again = await evaluate({ variables: { amount: 5000 }, requestId: 'c-big' });
    expect(again.body.started).toEqual(big.body.started);
    await new Promise((r) => setTimeout(r, 1000));
    const list = await t.call('GET', '/v1/instances', { query: { definitionKey: 'big-order', status: 'completed' } });
    expect(list.body.items).toHaveLength(1);
  });

  it('only the named process, nothing when no condition holds, and a condition that fails counts as false', async () => {
    expect((await evaluate({ variables: { amount: 5000 }, definitionKey: 'any-order' })).body.started.map((s: { definitionKey: string }) => s.definitionKey)).toEqual(['any-order']);
    expect((await evaluate({ variables: { amount: -1 } })).body.started).toEqual([]);
    expect((await evaluate({ variables: { amount: 'many' } })).body.started).toEqual([]);
    expect((await evaluate({ variables: {} })).body.started).toEqual([]);
  });

  it('refuses a request without variables and a message in the conditional namespace', async () => {
    expect((await evaluate({})).status).toBe(400);
    const answer = await publish({ name: 'conditional:x', correlationKey: '' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/may not start with 'conditional:'/);
  });
});
