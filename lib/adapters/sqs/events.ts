/**
 * Outbound process messages (send tasks, message throw/end events, and lifecycle events
 * when enabled) onto the `outbox` queue, from where the RabbitMQ publisher
 * (lib/bridge/outbound.ts, or functions/outbox.ts on AWS) publishes them. The effect id
 * travels as the message id so consumers can deduplicate.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { EventBus } from '../../ports.ts';
import type { SqsMeter } from './meter.ts';

export class SqsEventBus implements EventBus {
  constructor(private readonly client: SQSClient, private readonly queueUrl: string, private readonly meter?: SqsMeter) {}

  async publish(message: Parameters<EventBus['publish']>[0]): Promise<void> {
    const MessageBody = JSON.stringify(message);
    await this.client.send(new SendMessageCommand({
      QueueUrl: this.queueUrl, MessageBody,
      MessageAttributes: { messageId: { DataType: 'String', StringValue: message.id } },
    }));
    this.meter?.record('SendMessage', MessageBody.length);
  }
}
