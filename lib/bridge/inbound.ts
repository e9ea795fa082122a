/**
 * The inbound bridge (local runtime and tests; on AWS the Amazon MQ event source of
 * functions/events-bridge.ts does this): RabbitMQ -> SQS `events`.
 *
 *   producers ──► exchange sbpmn.in (topic) ──#──► queue sbpmn.inbound (durable)
 *                                                      │ consume, manual acks, prefetch
 *                                                      ▼
 *                         batches of ≤10 ──► SendMessageBatch (SQS events) ──► ack each accepted
 *
 * A message is acknowledged only after SQS accepted it (or it went to the events DLQ
 * because SQS never will), so a crash or a broker restart loses nothing: unacked
 * messages are redelivered. A redelivered message may reach SQS twice; its message id
 * (AMQP `message-id`, the body's `messageId`, or a hash of the body) makes the copy
 * change nothing downstream. amqplib's connection recovery reconnects with backoff and
 * re-declares the topology each time.
 */
import { connect, type Channel, type ChannelModel, type ConsumeMessage, type RecoveringChannelModel } from 'amqplib';
import type { Logger } from '../ports.ts';
import { backoff, sleep, TOPOLOGY } from './amqp.ts';
import { forwardEvents, type ForwardTarget } from './forward.ts';

export interface InboundBridgeOptions {
  url: string;
  target: ForwardTarget;
  exchange?: string;
  queue?: string;
  bindingKey?: string;
  /** Unacknowledged messages the broker may hand out at once (bounds memory and in-flight work). */
  prefetch?: number;
  /** Messages per SendMessageBatch (SQS allows 10). */
  batchSize?: number;
  /** How long a partial batch waits for more messages. */
  lingerMs?: number;
  logger?: Logger;
}

interface Delivery {
  channel: Channel;
  message: ConsumeMessage;
}

export interface InboundStats {
  /** Messages acknowledged (accepted by SQS or dead-lettered). */
  acked: number;
  /** Messages the broker redelivered (after a restart or a lost channel). */
  redelivered: number;
  /** Successful (re)connections. */
  connects: number;
}

export class InboundBridge {
  readonly stats: InboundStats = { acked: 0, redelivered: 0, connects: 0 };
  private connection: RecoveringChannelModel | null = null;
  private pending: Delivery[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly closed = new WeakSet<Channel>();
  private running = false;
  private readonly o: Required<Omit<InboundBridgeOptions, 'logger'>> & { logger: Logger | undefined };

  constructor(options: InboundBridgeOptions) {
    this.o = {
      exchange: TOPOLOGY.inboundExchange, queue: TOPOLOGY.inboundQueue, bindingKey: TOPOLOGY.inboundBinding,
      prefetch: 500, batchSize: 10, lingerMs: 5, ...options, logger: options.logger,
    };
  }

  /** Connects (retrying with backoff until the broker answers) and starts consuming. */
  async start(options: { waitForConnect?: boolean } = {}): Promise<this> {
    this.running = true;
    const connection = await connect(this.o.url, {
      recovery: { initialDelay: 200, maxDelay: 5_000, waitForConnect: false, setup: (model: ChannelModel) => this.setup(model) },
    });
    this.connection = connection;
    connection.on('error', (error: Error) => this.o.logger?.warn('inbound bridge: connection error', { error: error.message }));
    connection.on('disconnect', (error: Error) => this.o.logger?.warn('inbound bridge: disconnected; reconnecting', { error: error.message }));
    connection.on('connect-failed', (error: Error) => this.o.logger?.warn('inbound bridge: connect failed; retrying', { error: error.message }));
    if (options.waitForConnect !== false) await connection.waitForConnect();
    return this;
  }

  /** Stops consuming, lets the batches in flight finish (and ack), then closes the connection. */
  async stop(): Promise<void> {
    this.running = false;
    this.flush();
    await Promise.allSettled([...this.inFlight]);
    await this.connection?.close().catch(() => undefined);
    this.connection = null;
  }

  private async setup(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (error: Error) => this.o.logger?.warn('inbound bridge: channel error', { error: error.message }));
    channel.on('close', () => {
      this.closed.add(channel);
      // A channel lost while the connection lives (e.g. the queue was deleted): reconnect to set up again.
      if (this.running) void model.close().catch(() => undefined);
    });
    await channel.assertExchange(this.o.exchange, 'topic', { durable: true });
    await channel.assertQueue(this.o.queue, { durable: true });
    await channel.bindQueue(this.o.queue, this.o.exchange, this.o.bindingKey);
    await channel.prefetch(this.o.prefetch);
    await channel.consume(this.o.queue, (message) => {
      if (message) this.receive({ channel, message });
    }, { noAck: false });
    this.stats.connects++;
    this.o.logger?.info('inbound bridge: consuming', { queue: this.o.queue, exchange: this.o.exchange });
  }

  private receive(delivery: Delivery): void {
    if (delivery.message.fields.redelivered) this.stats.redelivered++;
    this.pending.push(delivery);
    if (this.pending.length >= this.o.batchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.o.lingerMs);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.o.batchSize);
      const work = this.forward(batch).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    }
  }

  /** Forwards until SQS took every message, or its channel is gone (then the broker redelivers it). */
  private async forward(batch: Delivery[]): Promise<void> {
    let remaining = batch;
    for (let attempt = 0; ; attempt++) {
      remaining = remaining.filter((d) => !this.closed.has(d.channel));
      // Stopping: what is not forwarded yet stays unacked, and the broker redelivers it.
      if (remaining.length === 0 || (attempt > 0 && !this.running)) return;
      if (attempt > 0) {
        this.o.logger?.warn('inbound bridge: SQS did not take every event; retrying', { events: remaining.length, attempt });
        await sleep(backoff(attempt));
      }
      const ok = await forwardEvents(this.o.target, remaining.map(({ message }) => ({
        body: message.content, messageId: message.properties.messageId as string | undefined, routingKey: message.fields.routingKey,
      })));
      remaining.forEach((d, i) => { if (ok[i]) this.ack(d); });
      remaining = remaining.filter((_, i) => !ok[i]);
    }
  }

  private ack(delivery: Delivery): void {
    if (this.closed.has(delivery.channel)) return; // its channel is gone: the broker redelivers it
    try {
      delivery.channel.ack(delivery.message);
      this.stats.acked++;
    } catch {
      // The channel closed meanwhile: the same as above.
    }
  }
}
