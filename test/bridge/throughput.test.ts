/**
 * The inbound bridge alone: events published to RabbitMQ -> accepted by SQS `events`
 * (no handlers behind it). Prints events/s; BRIDGE_EVENTS sets how many (default 10,000).
 *
 *   npx vitest run test/bridge/throughput.test.ts
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { connect } from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsInboundEvents } from '../../lib/adapters/sqs/inbound-events.ts';
import { InboundBridge } from '../../lib/bridge/inbound.ts';
import { publishEvents, startRig, until, type Rig } from './helpers.ts';

const total = Number(process.env['BRIDGE_EVENTS'] ?? 10_000);
const events = (prefix: string) => Array.from({ length: total }, (_, n) => ({ body: { name: 'tick', correlationKey: `k-${n % 100}`, payload: { n } }, messageId: `${prefix}-${n}` }));
let rig: Rig | null = null;

afterEach(async () => {
  await rig?.stop();
  rig = null;
});

async function inSqs(r: Rig): Promise<number> {
  const out = await r.rt.sqs.send(new GetQueueAttributesCommand({ QueueUrl: r.rt.queues.events, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(out.Attributes?.['ApproximateNumberOfMessages']);
}

describe('inbound bridge throughput (publish -> SQS accepted)', () => {
  it('keeps up with a publisher: every event in SQS', async () => {
    rig = await startRig({ concurrency: 0, outbound: false, prefetch: 1000 });
    const inbound = rig.inbound!;
    const started = Date.now();
    await publishEvents(rig.url, rig.names.inExchange, events('live'), 2_000);
    const published = Date.now();
    await until(() => inbound.stats.acked >= total, 120_000, 'every event in SQS');
    const seconds = (Date.now() - started) / 1000;
    expect(await inSqs(rig)).toBe(total);
    console.log(`[bridge] live: ${total} events published (confirmed) in ${((published - started) / 1000).toFixed(1)} s, all accepted by SQS after ${seconds.toFixed(1)} s: ${Math.round(total / seconds)} events/s`);
  }, 180_000);

  it('drains a backlog: events waiting in RabbitMQ -> SQS', async () => {
    rig = await startRig({ concurrency: 0, outbound: false, inbound: false });
    const { url, names } = rig;
    const model = await connect(url);
    const channel = await model.createChannel();
    await channel.assertExchange(names.inExchange, 'topic', { durable: true });
    await channel.assertQueue(names.inQueue, { durable: true });
    await channel.bindQueue(names.inQueue, names.inExchange, '#');
    await model.close();
    await publishEvents(url, names.inExchange, events('backlog'), 2_000);
    const target = { queue: new SqsInboundEvents(rig.rt.sqs, rig.rt.queues.events), deadLetters: rig.deps.deadLetters };
    const started = Date.now();
    const bridge = await new InboundBridge({ url, target, exchange: names.inExchange, queue: names.inQueue, prefetch: 1000 }).start();
    try {
      await until(() => bridge.stats.acked >= total, 120_000, 'the backlog in SQS');
      const seconds = (Date.now() - started) / 1000;
      expect(await inSqs(rig)).toBe(total);
      console.log(`[bridge] backlog: ${total} events from RabbitMQ into SQS in ${seconds.toFixed(1)} s: ${Math.round(total / seconds)} events/s`);
    } finally {
      await bridge.stop();
    }
  }, 180_000);
});
