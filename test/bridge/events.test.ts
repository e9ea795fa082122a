/**
 * Inbound events through a real RabbitMQ: sbpmn.in -> bridge -> SQS events -> events
 * handler -> commands -> transitions (DynamoDB Local + fauxqs), and malformed events
 * into the events DLQ with their reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageStartsOf } from '../../lib/app/definitions.ts';
import { messageInstanceId } from '../../lib/app/service/ids.ts';
import { compileBpmn } from '../../lib/core/bpmn/model/compile.ts';
import { bpmn, escapeXml, flows, message } from '../../lib/testing/index.ts';
import { quietLogger } from '../integration/runtime.ts';
import { publishEvents, receiveAll, startRig, until, type Rig } from './helpers.ts';

const condition = (feel: string) => `<extensionElements><zeebe:properties><zeebe:property name="condition" value="${escapeXml(feel)}"/></zeebe:properties></extensionElements>`;

const orderStarted = bpmn(`
  <startEvent id="start"><messageEventDefinition messageRef="placed"/></startEvent>
  <endEvent id="end"/>${flows('start', 'end')}`, { id: 'on-order', rootElements: message('placed', 'order-placed') });

const awaitPayment = bpmn(`
  <startEvent id="start"/>
  <receiveTask id="wait" messageRef="paid"/>
  <endEvent id="end"/>${flows('start', 'wait', 'end')}`, { id: 'await-payment', rootElements: message('paid', 'payment-received', '=orderId') });

const bigPayment = bpmn(`
  <startEvent id="start"/>
  <intermediateCatchEvent id="wait">${condition('=payload.amount > 100')}<messageEventDefinition messageRef="paid"/></intermediateCatchEvent>
  <endEvent id="end"/>${flows('start', 'wait', 'end')}`, { id: 'big-payment', rootElements: message('paid', 'large-payment', '=orderId') });

const bigOrder = bpmn(`
  <startEvent id="start">${condition('=payload.amount > 100 and name = "big-order"')}<messageEventDefinition messageRef="m"/></startEvent>
  <endEvent id="end"/>${flows('start', 'end')}`, { id: 'on-big-order', rootElements: message('m', 'big-order') });

const SHUTDOWN = '<signal id="sig" name="plant-shutdown"/>';
const shutdownWait = bpmn(`
  <startEvent id="start"/>
  <userTask id="work"/>
  <boundaryEvent id="stop" attachedToRef="work"><signalEventDefinition signalRef="sig"/></boundaryEvent>
  <endEvent id="done"/><endEvent id="stopped"/>${flows('start', 'work', 'done')}${flows('stop', 'stopped')}`, { id: 'shift', rootElements: SHUTDOWN });
const shutdownStart = bpmn(`
  <startEvent id="start"><signalEventDefinition signalRef="sig"/></startEvent>
  <endEvent id="end"/>${flows('start', 'end')}`, { id: 'on-shutdown', rootElements: SHUTDOWN });

let rig: Rig;

beforeAll(async () => {
  rig = await startRig();
  for (const xml of [orderStarted, awaitPayment, bigPayment, bigOrder, shutdownWait, shutdownStart]) await rig.deploy(xml);
});

afterAll(async () => {
  await rig?.stop();
});

const publish = (events: Parameters<typeof publishEvents>[2]) => publishEvents(rig.url, rig.names.inExchange, events);

async function startInstance(key: string, instanceId: string, variables: Record<string, string>): Promise<void> {
  const def = await rig.rt.definitions.latest(key);
  await rig.rt.commands.send([{ id: `start-${instanceId}`, instanceId, definition: { key, version: def?.version ?? 1 }, command: { type: 'start', instanceId, variables } }]);
  await until(async () => (await rig.rt.index.findSubscriptions(key === 'big-payment' ? 'large-payment' : 'payment-received', variables['orderId'] ?? '')).length > 0, 20_000, 'the subscription');
}

describe('inbound events (RabbitMQ -> SQS events -> subscriptions)', () => {
  it('starts an instance from an event with a message start event, once even when the event comes twice', async () => {
    const event = { name: 'order-placed', payload: { orderId: 'o-1', lines: 2 } };
    await publish([{ body: event, messageId: 'evt-start-1' }, { body: event, messageId: 'evt-start-1' }]);
    const instanceId = messageInstanceId('evt-start-1', 'on-order');
    const head = await until(() => rig.rt.instances.getHead(instanceId, true).then((h) => (h?.status === 'completed' ? h : null)), 20_000, 'the started instance');
    expect(head).toMatchObject({ definitionKey: 'on-order', version: 1, commandId: `msg:evt-start-1:${instanceId}` });
    const [version] = await rig.rt.instances.listVersions(instanceId);
    expect(version?.state.vars['root']).toMatchObject({ orderId: 'o-1', lines: 2 });
    await until(() => rig.inbound?.stats.acked !== undefined && rig.inbound.stats.acked >= 2, 10_000, 'both copies acked');
    expect((await rig.rt.instances.getHead(instanceId, true))?.version).toBe(1);
  });

  it('correlates an event to the instance waiting in a receive task with that correlation key', async () => {
    await startInstance('await-payment', 'pay-7', { orderId: 'o-7' });
    await publish([{ body: { name: 'payment-received', correlationKey: 'o-7', payload: { paid: 100 } }, messageId: 'evt-pay-7' }]);
    const head = await until(() => rig.rt.instances.getHead('pay-7', true).then((h) => (h?.status === 'completed' ? h : null)), 20_000, 'the correlation');
    expect(head.commandId).toBe('msg:evt-pay-7:pay-7');
    const versions = await rig.rt.instances.listVersions('pay-7');
    expect(versions.at(-1)?.state.vars['root']).toMatchObject({ orderId: 'o-7', paid: 100 });
  });

  it('correlates to a conditional catch event only when its condition over the payload holds', async () => {
    await startInstance('big-payment', 'big-1', { orderId: 'o-big' });
    const unmatchedBefore = rig.eventStats.unmatched;
    await publish([{ body: { name: 'large-payment', correlationKey: 'o-big', payload: { amount: 50 } }, messageId: 'evt-small' }]);
    await until(() => rig.eventStats.unmatched > unmatchedBefore, 20_000, 'the small payment to be counted as unmatched');
    expect((await rig.rt.instances.getHead('big-1', true))?.status).toBe('active');
    expect(quietLogger.lines.some((l) => l.message === 'event matched nothing' && l.data?.['messageId'] === 'evt-small')).toBe(true);

    await publish([{ body: { name: 'large-payment', correlationKey: 'o-big', payload: { amount: 150 } }, messageId: 'evt-large' }]);
    const head = await until(() => rig.rt.instances.getHead('big-1', true).then((h) => (h?.status === 'completed' ? h : null)), 20_000, 'the large payment');
    expect(head.commandId).toBe('msg:evt-large:big-1');
  });

  it('starts a process with a conditional message start event only when the condition holds (registry with or without conditions)', async () => {
    await publish([
      { body: { name: 'big-order', payload: { amount: 20 } }, messageId: 'evt-order-small' },
      { body: { name: 'big-order', payload: { amount: 500 } }, messageId: 'evt-order-big' },
    ]);
    const big = messageInstanceId('evt-order-big', 'on-big-order');
    await until(() => rig.rt.instances.getHead(big, true), 20_000, 'the big order');
    expect(await rig.rt.instances.getHead(messageInstanceId('evt-order-small', 'on-big-order'), true)).toBeNull();

    // The registry carrying the condition itself (messageStartsOf) decides the same way.
    const compiled = await compileBpmn(bigOrder);
    if (!compiled.ok) throw new Error('bigOrder does not compile');
    const def = await rig.rt.definitions.latest('on-big-order');
    await rig.rt.definitions.registerMessageStarts('on-big-order', def?.version ?? 1, messageStartsOf(compiled.processes[0]!));
    expect((await rig.rt.definitions.messageStarts('big-order'))[0]?.condition).toBe('=payload.amount > 100 and name = "big-order"');
    await publish([
      { body: { name: 'big-order', payload: { amount: 30 } }, messageId: 'evt-order-small-2' },
      { body: { name: 'big-order', payload: { amount: 300 } }, messageId: 'evt-order-big-2' },
    ]);
    await until(() => rig.rt.instances.getHead(messageInstanceId('evt-order-big-2', 'on-big-order'), true), 20_000, 'the second big order');
    expect(await rig.rt.instances.getHead(messageInstanceId('evt-order-small-2', 'on-big-order'), true)).toBeNull();
  });

  it('a signal event reaches every instance waiting for it and starts the signal start process, once even when it comes twice', async () => {
    const shifts = Array.from({ length: 25 }, (_, i) => `shift-${i}`);
    const def = await rig.rt.definitions.latest('shift');
    await rig.rt.commands.send(shifts.map((instanceId) => ({ id: `start-${instanceId}`, instanceId, definition: { key: 'shift', version: def?.version ?? 1 }, command: { type: 'start' as const, instanceId } })));
    await until(async () => (await rig.rt.index.findSubscriptions('signal:plant-shutdown', '')).length === shifts.length, 30_000, 'every shift waiting');
    const event = { name: 'plant-shutdown', payload: { reason: 'storm' } };
    await publish([{ body: event, messageId: 'evt-shutdown' }, { body: event, messageId: 'evt-shutdown' }]);
    for (const id of shifts) {
      const head = await until(() => rig.rt.instances.getHead(id, true).then((h) => (h?.status === 'completed' ? h : null)), 30_000, `${id} stopped`);
      expect(head.commandId).toBe(`sig:evt-shutdown:${id}`);
      const latest = (await rig.rt.instances.listVersions(id)).at(-1);
      expect(latest?.state.vars['root']).toEqual({ reason: 'storm' });
      expect(latest?.events.map((e) => ('elementId' in e ? `${e.type}:${e.elementId}` : e.type))).toContain('ElementCompleted:stopped');
    }
    const started = messageInstanceId('sig:evt-shutdown', 'on-shutdown');
    expect(await until(() => rig.rt.instances.getHead(started, true), 20_000, 'the started instance')).toMatchObject({ status: 'completed', version: 1 });
    expect(await rig.rt.index.findSubscriptions('signal:plant-shutdown', '')).toEqual([]);
  });

  it('sends malformed events to the events DLQ with the reason, and the stream goes on', async () => {
    await publish([
      { body: Buffer.from('this is { not json'), messageId: 'bad-json' },
      { body: { correlationKey: 'k', payload: {} }, messageId: 'bad-name' },
      { body: { name: 'signal:plant-shutdown' }, messageId: 'bad-namespace' },
      { body: { name: 'order-placed', payload: { blob: 'x'.repeat(300 * 1024) } }, messageId: 'bad-large' },
      { body: { name: 'order-placed', payload: { blob: 'y'.repeat(1100 * 1024) } }, messageId: 'bad-huge' },
      { body: { name: 'order-placed', payload: { orderId: 'after-the-bad-ones' } }, messageId: 'evt-good' },
    ]);
    await until(() => rig.rt.instances.getHead(messageInstanceId('evt-good', 'on-order'), true), 20_000, 'the good event after the bad ones');
    const dead = await receiveAll(rig.rt.sqs, rig.rt.queues.eventsDlq, 5);
    const byId = new Map(dead.map((m) => [m.MessageAttributes?.['messageId']?.StringValue, m]));
    const reason = (id: string) => byId.get(id)?.MessageAttributes?.['reason']?.StringValue;
    expect(reason('bad-json')).toBe('the event is not JSON');
    expect(reason('bad-name')).toBe('the event has no name');
    expect(reason('bad-namespace')).toBe("the event name may not start with 'signal:'");
    expect(reason('bad-large')).toMatch(/payload is \d+ bytes, larger than \d+/);
    expect(reason('bad-huge')).toMatch(/larger than an SQS message/);
    const envelope = JSON.parse(byId.get('bad-json')?.Body ?? '{}') as { reason: string; body: string };
    expect(envelope).toEqual({ reason: 'the event is not JSON', body: 'this is { not json' });
    const huge = JSON.parse(byId.get('bad-huge')?.Body ?? '{}') as { truncated?: boolean; bytes?: number };
    expect(huge).toMatchObject({ truncated: true });
    expect(huge.bytes).toBeGreaterThan(1100 * 1024);
    expect(rig.eventStats.malformed).toBeGreaterThanOrEqual(3);
  });
});
