/**
 * Outbound process messages in memory: what the outbox queue would carry to RabbitMQ,
 * kept in publish order (as SQS standard, a message published twice is kept twice;
 * consumers deduplicate by `id`).
 */
import type { EventBus } from '../../ports.ts';
import { jsonCopy } from './copy.ts';

export type PublishedMessage = Parameters<EventBus['publish']>[0];

export class MemoryEventBus implements EventBus {
  readonly published: PublishedMessage[] = [];

  async publish(message: PublishedMessage): Promise<void> {
    this.published.push(jsonCopy(message));
  }
}
