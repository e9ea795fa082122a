/**
 * The AWS side of the bridge, with the real broker and fauxqs: the Amazon MQ event
 * source's event -> SQS events (functions/events-bridge.ts), and an outbox batch ->
 * the broker with confirms (functions/outbox.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsInboundEvents } from '../../lib/adapters/sqs/inbound-events.ts';
import { brokerUrl, withCredentials } from '../../lib/bridge/amqp.ts';
import { forwardMqEvent } from '../../lib/bridge/mq-event.ts';
import { LazyConfirmChannel, publishOutboxRecords } from '../../lib/bridge/outbound.ts';
import { quietLogger } from '../integration/runtime.ts';
import { collect, receiveAll, startRig, until, type Rig } from './helpers.ts';
import { sqsRecord } from '../support/sqs-record.ts';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ concurrency: 0, inbound: false, outbound: false });
});

afterAll(async () => {
  await rig?.stop();
});

const record = sqsRecord;

describe('eventsBridge (Amazon MQ event source -> SQS events)', () => {
  it('forwards every message with its message-id, and dead-letters one SQS cannot take', async () => {
    const data = (body: string) => Buffer.from(body).toString('base64');
    const event = {
      eventSource: 'aws:rmq', eventSourceArn: 'arn:aws:mq:us-east-1:000000000000:broker:b:b-1',
      rmqMessagesByQueue: {
        'sbpmn.inbound::/': [
          { basicProperties: { messageId: 'mq-1', contentType: 'application/json' }, redelivered: false, data: data('{"name":"a"}') },
          { basicProperties: { messageId: null }, redelivered: false, data: data('{"name":"b"}') },
          { basicProperties: { messageId: 'mq-huge' }, redelivered: false, data: data(`{"name":"c","payload":{"x":"${'z'.repeat(1100 * 1024)}"}}`) },
        ],
      },
    };
    expect(await forwardMqEvent({ queue: new SqsInboundEvents(rig.rt.sqs, rig.rt.queues.events), deadLetters: rig.deps.deadLetters }, event, quietLogger)).toEqual({ forwarded: 3 });
    const forwarded = await receiveAll(rig.rt.sqs, rig.rt.queues.events, 2);
    expect(forwarded.map((m) => m.Body).sort()).toEqual(['{"name":"a"}', '{"name":"b"}']);
    expect(forwarded.find((m) => m.Body === '{"name":"a"}')?.MessageAttributes?.['messageId']?.StringValue).toBe('mq-1');
    const [dead] = await receiveAll(rig.rt.sqs, rig.rt.queues.eventsDlq, 1);
    expect(dead?.MessageAttributes?.['messageId']?.StringValue).toBe('mq-huge');
    await expect(forwardMqEvent({ queue: new SqsInboundEvents(rig.rt.sqs, rig.rt.queues.events), deadLetters: rig.deps.deadLetters }, { eventSource: 'aws:sqs' }, quietLogger)).rejects.toThrow();
  });
});

describe('outbox (SQS outbox -> RabbitMQ, publisher confirms)', () => {
  it('publishes each record and reports only the unconfirmed or invalid ones as failures', async () => {
    const consumer = await collect(rig.url, rig.names.outExchange);
    try {
      const channels = new LazyConfirmChannel(async () => rig.url, rig.names.outExchange);
      const message = (id: string) => JSON.stringify({ id, name: 'order.paid', correlationKey: 'o-1', variables: { amount: 5 }, instanceId: 'i-1', elementId: 'paid' });
      const response = await publishOutboxRecords(channels, rig.names.outExchange, [record(message('i-1:2:0'), 's1'), record('not json', 's2'), record(message('i-1:3:0'), 's3')], quietLogger);
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: 's2' }]);
      await until(() => consumer.messages.length >= 2, 10_000, 'both published');
      expect(consumer.messages.map((m) => m.properties.messageId).sort()).toEqual(['i-1:2:0', 'i-1:3:0']);
      (await channels.get()).close().catch(() => undefined);
    } finally {
      await consumer.stop();
    }
  });

  it('fails the whole batch (to be retried) when the broker cannot be reached', async () => {
    const channels = new LazyConfirmChannel(async () => 'amqp://guest:guest@127.0.0.1:1', rig.names.outExchange);
    const body = JSON.stringify({ id: 'x:1:0', name: 'n', correlationKey: null, variables: {}, instanceId: 'x', elementId: 'e' });
    const response = await publishOutboxRecords(channels, rig.names.outExchange, [record(body, 's1'), record(body, 's2')], quietLogger);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 's1' }, { itemIdentifier: 's2' }]);
  });

  it('takes the broker credentials from the Secrets Manager secret when RABBITMQ_SECRET_ARN is set', async () => {
    expect(withCredentials('amqps://b-1.mq.us-east-1.amazonaws.com:5671', { username: 'sbpmn', password: 'p@ss/word' })).toBe('amqps://sbpmn:p%40ss%2Fword@b-1.mq.us-east-1.amazonaws.com:5671');
    const url = await brokerUrl({ RABBITMQ_URL: 'amqps://b-1.mq.us-east-1.amazonaws.com:5671', RABBITMQ_SECRET_ARN: 'arn:secret' }, async (arn) => ({ username: arn === 'arn:secret' ? 'u' : 'wrong', password: 'p' }));
    expect(url).toBe('amqps://u:p@b-1.mq.us-east-1.amazonaws.com:5671');
    await expect(brokerUrl({})).rejects.toThrow(/RABBITMQ_URL/);
  });
});
