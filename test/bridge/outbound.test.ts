/**
 * Outbound: what a process publishes (a message end event) goes through the outbox
 * (SQS) to the RabbitMQ topic exchange, persistent, with the effect id as message-id;
 * with PUBLISH_LIFECYCLE the instance's lifecycle events go the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIFECYCLE_EVENTS } from '../../lib/app/effects.ts';
import { bpmn, flows, message } from '../../lib/testing/index.ts';
import { collect, startRig, until, type Rig } from './helpers.ts';

const shipping = bpmn(`
  <startEvent id="start"/>
  <endEvent id="shipped">
    <extensionElements><zeebe:ioMapping><zeebe:input source="=orderId" target="orderId"/><zeebe:input source="=&quot;express&quot;" target="carrier"/></zeebe:ioMapping></extensionElements>
    <messageEventDefinition messageRef="m"/>
  </endEvent>${flows('start', 'shipped')}`, { id: 'shipping', rootElements: message('m', 'order.shipped', '=orderId') });

let rig: Rig;
let consumer: Awaited<ReturnType<typeof collect>>;

beforeAll(async () => {
  rig = await startRig({ inbound: false, runtime: { publishLifecycle: true } });
  consumer = await collect(rig.url, rig.names.outExchange);
  await rig.deploy(shipping);
});

afterAll(async () => {
  await consumer?.stop();
  await rig?.stop();
});

describe('outbound events (process -> SQS outbox -> RabbitMQ sbpmn.out)', () => {
  it('publishes a message end event: routing key = name, persistent JSON, message-id = the effect id; and lifecycle events', async () => {
    const def = await rig.rt.definitions.latest('shipping');
    await rig.rt.commands.send([{ id: 'ship-1', instanceId: 'ship-1', definition: { key: 'shipping', version: def?.version ?? 1 }, command: { type: 'start', instanceId: 'ship-1', variables: { orderId: 'o-9' } } }]);
    await until(() => consumer.messages.length >= 2, 20_000, 'two outbound messages');
    const shipped = consumer.messages.find((m) => m.fields.routingKey === 'order.shipped');
    const completed = consumer.messages.find((m) => m.fields.routingKey === LIFECYCLE_EVENTS.instanceCompleted);
    expect(shipped?.properties).toMatchObject({ deliveryMode: 2, contentType: 'application/json', messageId: expect.stringMatching(/^ship-1:1:\d+$/) });
    expect(JSON.parse(shipped?.content.toString() ?? '{}')).toEqual({
      messageId: shipped?.properties.messageId, name: 'order.shipped', correlationKey: 'o-9', payload: { orderId: 'o-9', carrier: 'express' }, instanceId: 'ship-1', elementId: 'shipped',
    });
    expect(JSON.parse(completed?.content.toString() ?? '{}')).toMatchObject({ name: 'sbpmn.instance.completed', correlationKey: 'ship-1', payload: { instanceId: 'ship-1', status: 'completed' } });
    expect(completed?.properties.messageId).toMatch(/^ship-1:1:\d+$/);
    expect(rig.outbound?.stats.published).toBeGreaterThanOrEqual(2);
  });
});
