/**
 * The commands queue: SQS FIFO, one message group per instance. Commands of one
 * instance are delivered in order and never concurrently, so the common case has no
 * write contention at all; the conditional writes stay as the safety net. The command
 * id is the deduplication id (a re-send within 5 minutes is dropped by SQS).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues.html
 */
import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CommandBus, CommandEnvelope } from '../../ports.ts';
import type { SqsMeter } from './meter.ts';

/** SQS limits deduplication ids to 128 characters. */
export function dedupId(id: string): string {
  return id.length <= 128 && /^[\w!"#$%&'()*+,\-./:;<=>?@[\\\]^`{|}~]+$/.test(id) ? id : createHash('sha256').update(id).digest('hex');
}

export class SqsCommandBus implements CommandBus {
  constructor(private readonly client: SQSClient, private readonly queueUrl: string, private readonly meter?: SqsMeter) {}

  async send(envelopes: CommandEnvelope[], options: { redrive?: boolean } = {}): Promise<void> {
    // A redrive must not be dropped as a duplicate of the first send: its own deduplication id.
    const suffix = options.redrive ? `#redrive#${Date.now()}` : '';
    for (let i = 0; i < envelopes.length; i += 10) {
      const batch = envelopes.slice(i, i + 10);
      const entries = batch.map((envelope, n) => ({
        Id: String(n),
        MessageBody: JSON.stringify(envelope),
        MessageGroupId: envelope.instanceId,
        MessageDeduplicationId: dedupId(`${envelope.id}${suffix}`),
      }));
      const out = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      this.meter?.record('SendMessageBatch', entries.reduce((sum, e) => sum + e.MessageBody.length, 0));
      if (out.Failed && out.Failed.length > 0) {
        throw new Error(`commands queue refused ${out.Failed.length} message(s): ${out.Failed.map((f) => f.Message).join('; ')}`);
      }
    }
  }
}
