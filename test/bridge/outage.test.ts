/**
 * The broker goes away and comes back (`rabbitmqctl stop_app` / `start_app`): nothing is
 * lost in either direction. Both tests restart the shared broker, so they live in this
 * one file and run one after the other; the other bridge tests survive a restart too.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { messageInstanceId } from '../../lib/app/service/ids.ts';
import { bpmn, flows, message } from '../../lib/testing/index.ts';
import { collect, publishEvents, sleep, startBroker, startRig, stopBroker, until, type Rig } from './helpers.ts';

const tick = bpmn(`
  <startEvent id="start"><messageEventDefinition messageRef="m"/></startEvent>
  <endEvent id="end"/>${flows('start', 'end')}`, { id: 'on-tick', rootElements: message('m', 'tick') });

const notify = bpmn(`
  <startEvent id="start"/>
  <endEvent id="sent"><messageEventDefinition messageRef="m"/></endEvent>${flows('start', 'sent')}`, { id: 'notify', rootElements: message('m', 'customer.notified', '=customerId') });

let rig: Rig | null = null;

afterEach(async () => {
  await rig?.stop();
  rig = null;
});

async function depth(rigged: Rig, queueUrl: string): Promise<number> {
  const out = await rigged.rt.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(out.Attributes?.['ApproximateNumberOfMessages'] ?? 0) + Number(out.Attributes?.['ApproximateNumberOfMessagesNotVisible'] ?? 0);
}

/** Every instance `ids` names has exactly one version, written by its event's command. */
async function appliedOnce(rigged: Rig, ids: string[]): Promise<string[]> {
  const wrong: string[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < ids.length) {
      const messageId = ids[next++] as string;
      const instanceId = messageInstanceId(messageId, 'on-tick');
      const head = await rigged.rt.instances.getHead(instanceId, true);
      if (head?.version !== 1 || head.commandId !== `msg:${messageId}:${instanceId}`) wrong.push(messageId);
    }
  }));
  return wrong;
}

describe('a broker outage', () => {
  it('loses no inbound event: 10,000 events, broker restarted in the middle, each applied exactly once', async () => {
    rig = await startRig({ concurrency: 4, prefetch: 1000 });
    await rig.deploy(tick);
    const total = Number(process.env['BRIDGE_EVENTS'] ?? 10_000);
    const ids = Array.from({ length: total }, (_, i) => `tick-${i}`);
    const started = Date.now();
    const publishing = publishEvents(rig.url, rig.names.inExchange, ids.map((messageId, n) => ({ body: { name: 'tick', payload: { n } }, messageId })));
    const inbound = rig.inbound!;
    await until(() => inbound.stats.acked >= total * 0.3, 120_000, '30% of the events through the bridge');
    await stopBroker();
    const outageAt = inbound.stats.acked;
    await sleep(2_000);
    await startBroker();
    await publishing;
    const bridged = await until(() => (inbound.stats.acked >= total ? Date.now() : null), 120_000, 'every event through the bridge');
    await until(() => rig!.commandStats.applied >= total, 170_000, 'every event applied');
    const applied = Date.now();
    // Let redelivered copies run through: they must change nothing.
    await until(async () => (await depth(rig!, rig!.rt.queues.events)) + (await depth(rig!, rig!.rt.queues.commands)) === 0, 60_000, 'the queues to drain');
    console.log(`[bridge] ${total} events: through the bridge (publish -> SQS accepted) in ${((bridged - started) / 1000).toFixed(1)} s `
      + `(${Math.round(total / ((bridged - started) / 1000))} events/s); applied in ${((applied - started) / 1000).toFixed(1)} s `
      + `(${Math.round(total / ((applied - started) / 1000))} events/s end to end); broker stopped after ${outageAt} acks; `
      + `${inbound.stats.redelivered} redelivered, ${rig.commandStats.duplicates} duplicate commands, ${rig.commandStats.rejected} rejected; `
      + `DynamoDB ${JSON.stringify(rig.rt.dynamoMeter.requests)}`);
    expect(inbound.stats.connects).toBeGreaterThanOrEqual(2);
    expect(rig.commandStats.applied).toBe(total);
    expect(rig.eventStats.unmatched + rig.eventStats.malformed + rig.commandStats.dropped).toBe(0);
    expect(await appliedOnce(rig, ids)).toEqual([]);
    expect(await depth(rig, rig.rt.queues.eventsDlq)).toBe(0);
    expect(await depth(rig, rig.rt.queues.commandsDlq)).toBe(0);
  }, 240_000);

  it('delays outbound events while the broker is stopped for 10 s, then delivers every one (each message-id at least once)', async () => {
    rig = await startRig({ inbound: false });
    const consumer = await collect(rig.url, rig.names.outExchange);
    try {
      await rig.deploy(notify);
      const def = await rig.rt.definitions.latest('notify');
      const start = (from: number, count: number) => rig!.rt.commands.send(Array.from({ length: count }, (_, i) => {
        const instanceId = `n-${from + i}`;
        return { id: instanceId, instanceId, definition: { key: 'notify', version: def?.version ?? 1 }, command: { type: 'start' as const, instanceId, variables: { customerId: `c-${from + i}` } } };
      }));
      await start(0, 20);
      await until(() => consumer.messages.length >= 20, 30_000, 'the first 20 before the outage');
      await stopBroker();
      const down = Date.now();
      await start(20, 40); // raised while the broker is away: they wait in the outbox
      await until(() => rig!.commandStats.applied >= 60, 30_000, 'the 40 instances during the outage');
      await sleep(Math.max(0, 10_000 - (Date.now() - down)));
      expect(await depth(rig, rig.rt.queues.outbox)).toBeGreaterThanOrEqual(40); // they wait in SQS, none dropped
      await startBroker();
      const ids = await until(() => {
        const seen = new Set(consumer.messages.map((m) => String(m.properties.messageId)));
        return seen.size >= 60 ? seen : null;
      }, 60_000, 'all 60 outbound events after the outage');
      const byCustomer = new Set(consumer.messages.map((m) => (JSON.parse(m.content.toString()) as { correlationKey: string }).correlationKey));
      expect(byCustomer.size).toBe(60);
      expect([...ids].every((id) => /^n-\d+:1:\d+$/.test(id))).toBe(true);
      console.log(`[bridge] outbound: ${consumer.messages.length} deliveries of ${ids.size} message ids after a ${((Date.now() - down) / 1000).toFixed(1)} s outage; ${rig.outbound?.stats.unconfirmed ?? 0} unconfirmed attempts retried`);
      await until(async () => (await depth(rig!, rig!.rt.queues.outbox)) === 0, 30_000, 'the outbox to drain');
      expect(await depth(rig, rig.rt.queues.outboxDlq)).toBe(0);
    } finally {
      await consumer.stop();
    }
  }, 120_000);
});
