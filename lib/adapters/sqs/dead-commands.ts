/**
 * The commands DLQ as the sweeper reads it: messages that failed `maxReceiveCount` times.
 * Received with a visibility timeout long enough for one retry; deleted once handled.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterSource } from '../../ports.ts';
import type { SqsMeter } from './meter.ts';

export class SqsDeadLetterSource implements DeadLetterSource {
  constructor(private readonly client: SQSClient, private readonly queueUrl: string, private readonly meter?: SqsMeter, private readonly visibilitySeconds = 120) {}

  async receive(max: number): Promise<Array<{ body: string; receiptHandle: string; messageId: string; receiveCount: number }>> {
    const out = await this.client.send(new ReceiveMessageCommand({
      QueueUrl: this.queueUrl, MaxNumberOfMessages: Math.min(10, Math.max(1, max)), WaitTimeSeconds: 0,
      VisibilityTimeout: this.visibilitySeconds, MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }));
    this.meter?.record('ReceiveMessage', 0);
    return (out.Messages ?? []).map((m) => ({
      body: m.Body ?? '', receiptHandle: m.ReceiptHandle ?? '', messageId: m.MessageId ?? '',
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
    }));
  }

  async remove(receiptHandle: string): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle }));
    this.meter?.record('DeleteMessage', 0);
  }
}
