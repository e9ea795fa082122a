/**
 * The bridge tests' rig: a test runtime on the emulators (its own table and queues), its
 * own exchanges and queues on the real broker, the events and commands handlers driven
 * by the local poller, and both bridges. Test-side publishers and consumers survive a
 * broker restart (another test file may restart the shared broker).
 */
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { connect, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { inject } from 'vitest';
import type { BatchStats } from '../../lib/app/batch.ts';
import { processBatch } from '../../lib/app/batch.ts';
import { emptyEventStats, processEventBatch, type EventDeps, type EventStats } from '../../lib/app/events.ts';
import { deployDefinitions } from '../../lib/app/service/definitions.ts';
import type { ServiceDeps } from '../../lib/app/service/deps.ts';
import { SqsInboundEvents } from '../../lib/adapters/sqs/inbound-events.ts';
import { InboundBridge } from '../../lib/bridge/inbound.ts';
import { OutboundPublisher } from '../../lib/bridge/outbound.ts';
import { SqsPoller } from '../../lib/local/poller.ts';
import type { RuntimeConfig } from '../../lib/composition/aws.ts';
import { quietLogger, testRuntime, type TestRuntime } from '../integration/runtime.ts';

const run = promisify(execFile);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export { until } from '../support/wait.ts';

export interface Names {
  inExchange: string;
  inQueue: string;
  outExchange: string;
}

export interface Rig {
  rt: TestRuntime;
  names: Names;
  url: string;
  deps: EventDeps;
  service: ServiceDeps;
  eventStats: EventStats;
  commandStats: BatchStats;
  inbound: InboundBridge | null;
  outbound: OutboundPublisher | null;
  deploy(xml: string): Promise<void>;
  stop(): Promise<void>;
}

export interface RigOptions {
  runtime?: Partial<RuntimeConfig>;
  inbound?: boolean;
  outbound?: boolean;
  /** Poller concurrency of the events and commands handlers (0: no handlers, the events stay in SQS). */
  concurrency?: number;
  prefetch?: number;
}

/** Everything from the broker to the table, on fresh names. */
export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const url = inject('amqpUrl');
  if (!url) throw new Error('no RabbitMQ for this run: test/setup/emulators.ts starts it when the run includes test/bridge');
  const rt = await testRuntime(options.runtime ?? {});
  const id = randomUUID().slice(0, 8);
  const names: Names = { inExchange: `t${id}.in`, inQueue: `t${id}.inbound`, outExchange: `t${id}.out` };
  const service: ServiceDeps = { instances: rt.instances, definitions: rt.definitions, resolver: rt.transition.definitions, index: rt.index, commands: rt.commands, clock: rt.clock, logger: rt.logger };
  const deps: EventDeps = { ...service, deadLetters: rt.deadLetters as NonNullable<TestRuntime['deadLetters']> };
  const eventStats = emptyEventStats();
  const commandStats: BatchStats = { applied: 0, duplicates: 0, rejected: 0, dropped: 0, failed: 0, retries: 0 };
  const concurrency = options.concurrency ?? 2;
  const pollers = concurrency === 0 ? [] : [
    new SqsPoller(rt.sqs, rt.queues.events, (e) => processEventBatch(deps, e.Records, eventStats), { concurrency }).start(),
    new SqsPoller(rt.sqs, rt.queues.commands, (e) => processBatch(rt.transition, e.Records, commandStats), { concurrency }).start(),
  ];
  const target = { queue: new SqsInboundEvents(rt.sqs, rt.queues.events), deadLetters: deps.deadLetters };
  const inbound = options.inbound === false ? null
    : await new InboundBridge({ url, target, exchange: names.inExchange, queue: names.inQueue, prefetch: options.prefetch ?? 500, logger: quietLogger }).start();
  const outbound = options.outbound === false ? null
    : await new OutboundPublisher({ url, sqs: rt.sqs, queueUrl: rt.queues.outbox, exchange: names.outExchange, logger: quietLogger }).start();
  return {
    rt, names, url, deps, service, eventStats, commandStats, inbound, outbound,
    deploy: async (xml) => void (await deployDefinitions(service, xml)),
    stop: async () => {
      await Promise.all([inbound?.stop(), outbound?.stop(), ...pollers.map((p) => p.stop())]);
      await deleteTopology(url, names);
    },
  };
}

/** Durable test exchanges and queues would otherwise pile up in the broker's store. */
async function deleteTopology(url: string, names: Names): Promise<void> {
  try {
    const model = await connect(url);
    const channel = await model.createChannel();
    await channel.deleteQueue(names.inQueue);
    await channel.deleteExchange(names.inExchange);
    await channel.deleteExchange(names.outExchange);
    await model.close();
  } catch {
    // best effort
  }
}

export interface OutgoingEvent {
  body: unknown;
  messageId?: string;
  routingKey?: string;
}

/**
 * Publishes with publisher confirms, in windows; a window the broker did not confirm
 * (it went away) is published again after reconnecting, so every event gets there at
 * least once (a copy has the same message id).
 */
export async function publishEvents(url: string, exchange: string, events: OutgoingEvent[], window = 500): Promise<void> {
  let model: ChannelModel | null = null;
  let channel: ConfirmChannel | null = null;
  for (let start = 0; start < events.length;) {
    try {
      if (!channel) {
        model = await connect(url);
        model.on('error', () => undefined);
        channel = await model.createConfirmChannel();
        channel.on('error', () => undefined);
        await channel.assertExchange(exchange, 'topic', { durable: true });
      }
      for (const event of events.slice(start, start + window)) {
        const content = Buffer.isBuffer(event.body) ? event.body : Buffer.from(typeof event.body === 'string' ? event.body : JSON.stringify(event.body));
        channel.publish(exchange, event.routingKey ?? 'event', content, { persistent: true, contentType: 'application/json', ...(event.messageId ? { messageId: event.messageId } : {}) });
      }
      await channel.waitForConfirms();
      start += window;
    } catch {
      await model?.close().catch(() => undefined);
      model = null;
      channel = null;
      await sleep(300);
    }
  }
  await model?.close().catch(() => undefined);
}

/** A durable queue bound to an exchange, drained into `messages` with manual acks; reconnects after a restart. */
export async function collect(url: string, exchange: string, bindingKey = '#'): Promise<{ messages: ConsumeMessage[]; stop(): Promise<void> }> {
  const queue = `t${randomUUID().slice(0, 8)}.collect`;
  const messages: ConsumeMessage[] = [];
  const connection = await connect(url, {
    recovery: {
      initialDelay: 200, maxDelay: 1_000,
      setup: async (model: ChannelModel) => {
        const channel = await model.createChannel();
        channel.on('error', () => undefined);
        await channel.assertExchange(exchange, 'topic', { durable: true });
        await channel.assertQueue(queue, { durable: true });
        await channel.bindQueue(queue, exchange, bindingKey);
        await channel.consume(queue, (m) => {
          if (!m) return;
          messages.push(m);
          channel.ack(m);
        });
      },
    },
  });
  connection.on('error', () => undefined);
  return {
    messages,
    stop: async () => {
      const channel = await connection.createChannel().catch(() => null);
      await channel?.deleteQueue(queue).catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}

/** Reads (and deletes nothing from) a queue until `count` messages were seen or the time is up. */
export async function receiveAll(sqs: SQSClient, queueUrl: string, count: number, timeoutMs = 20_000): Promise<Message[]> {
  const seen = new Map<string, Message>();
  const deadline = Date.now() + timeoutMs;
  while (seen.size < count && Date.now() < deadline) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], VisibilityTimeout: 30 }));
    for (const m of out.Messages ?? []) seen.set(m.MessageId ?? '', m);
  }
  return [...seen.values()];
}

/** `rabbitmqctl stop_app` / `start_app`: the broker goes away (connections are closed) and comes back with its durable queues. */
export async function stopBroker(): Promise<void> {
  await run('rabbitmqctl', ['stop_app'], { timeout: 60_000 });
}

export async function startBroker(): Promise<void> {
  await run('rabbitmqctl', ['start_app'], { timeout: 60_000 });
  await run('rabbitmqctl', ['-q', 'await_startup'], { timeout: 60_000 });
}
