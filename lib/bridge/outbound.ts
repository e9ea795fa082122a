/**
 * The outbound side: SQS `outbox` (what processes publish: send tasks, message throw/end
 * events, lifecycle events) -> RabbitMQ topic exchange `sbpmn.out`.
 *
 *   outbox (SQS) ──receive──► publish on a CONFIRM channel ──► broker confirms ──► delete from SQS
 *                                 routing key = message name, persistent,
 *                                 message-id = the effect id (instance:version:index)
 *
 * An SQS message is deleted only after the broker confirmed it. A broker outage delays
 * events, never drops them: unconfirmed messages stay in SQS and reappear (soon, with a
 * short visibility), and the local publisher stops receiving while it has no channel,
 * so an outage does not burn their receive count. A message may be published twice
 * (confirmed, but the delete failed); its `message-id` lets consumers deduplicate.
 *
 * The body mirrors the inbound event format, so an engine's outbound events can feed
 * another engine's inbound bridge: `{ messageId, name, correlationKey, payload, instanceId, elementId }`.
 * Note: `sbpmn.out` drops messages no queue is bound to (plain pub/sub): bind a durable
 * queue before publishing starts if nothing may be missed.
 */
import {
  ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { connect, type ChannelModel, type ConfirmChannel, type Options, type RecoveringChannelModel } from 'amqplib';
import * as z from 'zod';
import type { Logger } from '../ports.ts';
import { processSqsBatch } from '../app/sqs-batch.ts';
import { sleep, TOPOLOGY } from './amqp.ts';

/** An outbox entry, as lib/adapters/sqs/events.ts (the EventBus) writes it. */
export const outboxMessageSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(255),
  correlationKey: z.string().nullable(),
  variables: z.record(z.string(), z.json()),
  instanceId: z.string(),
  elementId: z.string(),
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

export function parseOutboxMessage(body: string): OutboxMessage | null {
  try {
    const parsed = outboxMessageSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The AMQP message of an outbox entry. */
export function toAmqp(message: OutboxMessage): { routingKey: string; content: Buffer; options: Options.Publish } {
  const { id, name, correlationKey, variables, instanceId, elementId } = message;
  return {
    routingKey: name,
    content: Buffer.from(JSON.stringify({ messageId: id, name, correlationKey, payload: variables, instanceId, elementId }), 'utf8'),
    options: { persistent: true, messageId: id, contentType: 'application/json', type: name, headers: { instanceId } },
  };
}

/**
 * Publishes on a confirm channel; per message, whether the broker confirmed it within `timeoutMs`.
 *
 * @example await publishConfirmed(channel, 'sbpmn.out', [message]) // [true]
 */
export async function publishConfirmed(channel: ConfirmChannel, exchange: string, messages: OutboxMessage[], timeoutMs = 10_000): Promise<boolean[]> {
  return Promise.all(messages.map((message) => new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const settle = (ok: boolean) => { clearTimeout(timer); resolve(ok); };
    try {
      const { routingKey, content, options } = toAmqp(message);
      channel.publish(exchange, routingKey, content, options, (error: unknown) => settle(!error));
    } catch {
      settle(false); // the channel is closed
    }
  })));
}

/**
 * The Lambda side (functions/outbox.ts): one confirm channel per warm container, opened
 * on first use and again after it closed.
 */
export class LazyConfirmChannel {
  private channel: Promise<ConfirmChannel> | null = null;

  constructor(private readonly url: () => Promise<string>, private readonly exchange: string = TOPOLOGY.outboundExchange) {}

  get(): Promise<ConfirmChannel> {
    if (!this.channel) {
      const opening = this.open(() => { if (this.channel === opening) this.channel = null; });
      opening.catch(() => { if (this.channel === opening) this.channel = null; });
      this.channel = opening;
    }
    return this.channel;
  }

  private async open(forget: () => void): Promise<ConfirmChannel> {
    const model = await connect(await this.url());
    model.on('error', forget);
    model.on('close', forget);
    const channel = await model.createConfirmChannel();
    channel.on('error', forget);
    channel.on('close', () => { forget(); void model.close().catch(() => undefined); });
    await channel.assertExchange(this.exchange, 'topic', { durable: true });
    return channel;
  }
}

/**
 * An SQS batch of outbox records -> the broker, each on the batch processor
 * (lib/app/sqs-batch.ts): a record fails (SQS redelivers it) when it is invalid (it reaches
 * the outbox DLQ after its retries), when the broker cannot be reached, or when it did not
 * confirm the message.
 */
export async function publishOutboxRecords(channels: LazyConfirmChannel, exchange: string, records: SQSRecord[], logger: Logger): Promise<SQSBatchResponse> {
  let channel: Promise<ConfirmChannel> | null = null;
  const open = (): Promise<ConfirmChannel> => {
    if (!channel) {
      channel = channels.get();
      channel.catch((error: unknown) => logger.warn('broker unavailable; the outbox batch will be retried', { error: (error as Error).message }));
    }
    return channel;
  };
  return processSqsBatch(records, async (record) => {
    const message = parseOutboxMessage(record.body);
    if (!message) {
      logger.error('outbox message is invalid; it goes to the outbox DLQ after its retries', { sqsMessageId: record.messageId });
      throw new Error('invalid outbox message');
    }
    const [confirmed] = await publishConfirmed(await open(), exchange, [message]);
    if (!confirmed) throw new Error('the broker did not confirm the message');
  });
}

export interface OutboundPublisherOptions {
  url: string;
  sqs: SQSClient;
  /** The SQS `outbox` queue. */
  queueUrl: string;
  exchange?: string;
  /** Receive loops at once. */
  concurrency?: number;
  waitTimeSeconds?: number;
  confirmTimeoutMs?: number;
  logger?: Logger;
}

export interface OutboundStats {
  published: number;
  /** Publish attempts the broker did not confirm (retried later). */
  unconfirmed: number;
  connects: number;
}

/** The local publisher (npm start, tests): drains `outbox` into `sbpmn.out` while it has a channel. */
export class OutboundPublisher {
  readonly stats: OutboundStats = { published: 0, unconfirmed: 0, connects: 0 };
  private connection: RecoveringChannelModel | null = null;
  private channel: ConfirmChannel | null = null;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly exchange: string;

  constructor(private readonly o: OutboundPublisherOptions) {
    this.exchange = o.exchange ?? TOPOLOGY.outboundExchange;
  }

  async start(options: { waitForConnect?: boolean } = {}): Promise<this> {
    this.running = true;
    const connection = await connect(this.o.url, {
      recovery: { initialDelay: 200, maxDelay: 5_000, waitForConnect: false, setup: (model: ChannelModel) => this.setup(model) },
    });
    this.connection = connection;
    connection.on('error', (error: Error) => this.o.logger?.warn('outbound publisher: connection error', { error: error.message }));
    connection.on('disconnect', (error: Error) => {
      this.channel = null;
      this.o.logger?.warn('outbound publisher: disconnected; outbox messages wait in SQS', { error: error.message });
    });
    this.loops = Array.from({ length: this.o.concurrency ?? 2 }, () => this.loop());
    if (options.waitForConnect !== false) await connection.waitForConnect();
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    await this.connection?.close().catch(() => undefined);
    this.connection = null;
  }

  private async setup(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => this.o.logger?.warn('outbound publisher: channel error', { error: error.message }));
    channel.on('close', () => {
      if (this.channel === channel) this.channel = null;
      if (this.running) void model.close().catch(() => undefined);
    });
    await channel.assertExchange(this.exchange, 'topic', { durable: true });
    this.channel = channel;
    this.stats.connects++;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const channel = this.channel;
      if (!channel) {
        await sleep(100); // no broker: leave the outbox alone
        continue;
      }
      try {
        const out = await this.o.sqs.send(new ReceiveMessageCommand({
          QueueUrl: this.o.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: this.o.waitTimeSeconds ?? 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }));
        const messages = out.Messages ?? [];
        if (messages.length > 0) await this.publish(channel, messages);
      } catch (error) {
        this.o.logger?.warn('outbound publisher: SQS failed', { error: (error as Error).message });
        await sleep(500);
      }
    }
  }

  private async publish(channel: ConfirmChannel, messages: Message[]): Promise<void> {
    const parsed = messages.map((m) => parseOutboxMessage(m.Body ?? ''));
    const valid = messages.flatMap((m, i) => (parsed[i] ? [{ m, message: parsed[i] as OutboxMessage }] : []));
    for (const m of messages.filter((_, i) => !parsed[i])) this.o.logger?.error('outbox message is invalid; it goes to the outbox DLQ after its retries', { sqsMessageId: m.MessageId });
    const ok = await publishConfirmed(channel, this.exchange, valid.map((v) => v.message), this.o.confirmTimeoutMs ?? 10_000);
    const confirmed = valid.filter((_, i) => ok[i]).map((v) => v.m);
    const unconfirmed = valid.filter((_, i) => !ok[i]).map((v) => v.m);
    this.stats.published += confirmed.length;
    this.stats.unconfirmed += unconfirmed.length;
    if (confirmed.length > 0) {
      await this.o.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.o.queueUrl, Entries: confirmed.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
    }
    if (unconfirmed.length > 0) {
      // Back soon (1, 2, 4, ... 30 s by receive count), instead of after the full visibility timeout.
      await this.o.sqs.send(new ChangeMessageVisibilityBatchCommand({
        QueueUrl: this.o.queueUrl,
        Entries: unconfirmed.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '', VisibilityTimeout: Math.min(30, 2 ** (Number(m.Attributes?.['ApproximateReceiveCount'] ?? 1) - 1)) })),
      })).catch(() => undefined);
    }
  }
}
