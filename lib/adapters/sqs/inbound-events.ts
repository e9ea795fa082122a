/**
 * The inbound events queue on SQS (`events`): raw event bodies sent in SendMessageBatch
 * calls, with the AMQP `message-id` and routing key as message attributes.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
 */
import { SendMessageBatchCommand, type MessageAttributeValue, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { EnqueueResult, InboundEventQueue, RawEvent } from '../../ports.ts';
import { packBatches, SQS_MAX_BYTES } from './dead-letters.ts';
import type { SqsMeter } from './meter.ts';

/** Room left in an SQS message for the attributes. */
const ATTRIBUTE_ALLOWANCE = 2048;

function attributes(event: RawEvent): Record<string, MessageAttributeValue> {
  const attrs: Record<string, MessageAttributeValue> = {};
  if (event.messageId) attrs['messageId'] = { DataType: 'String', StringValue: event.messageId.slice(0, 256) };
  if (event.routingKey) attrs['routingKey'] = { DataType: 'String', StringValue: event.routingKey.slice(0, 256) };
  return attrs;
}

export class SqsInboundEvents implements InboundEventQueue {
  readonly maxBytes = SQS_MAX_BYTES - ATTRIBUTE_ALLOWANCE;

  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string, private readonly meter?: SqsMeter) {}

  /**
   * Unreachable or throttling SQS: those events answer `{ ok: false, refused: null }` (try
   * again); a sender fault (e.g. characters SQS does not allow) answers with its reason.
   */
  async send(events: RawEvent[]): Promise<EnqueueResult[]> {
    const results: EnqueueResult[] = events.map(() => ({ ok: false, refused: null }));
    const entries = events.map((event, index) => ({ bytes: event.body.length, entry: { Id: String(index), MessageBody: event.body.toString('utf8'), MessageAttributes: attributes(event) } as SendMessageBatchRequestEntry }));
    for (const batch of packBatches(entries, (e) => e.bytes + ATTRIBUTE_ALLOWANCE)) {
      try {
        const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch.map((e) => e.entry) }));
        this.meter?.record('SendMessageBatch', batch.reduce((sum, e) => sum + e.bytes, 0));
        for (const success of out.Successful ?? []) results[Number(success.Id)] = { ok: true };
        for (const failure of out.Failed ?? []) {
          if (failure.SenderFault) results[Number(failure.Id)] = { ok: false, refused: `SQS refused the event: ${failure.Code ?? ''} ${failure.Message ?? ''}`.trim() };
        }
      } catch {
        // SQS unreachable or throttling: these stay `refused: null` and are tried again.
      }
    }
    return results;
  }
}
