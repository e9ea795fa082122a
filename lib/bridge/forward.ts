/**
 * Inbound events (raw AMQP bodies) -> the SQS `events` queue, shared by the local bridge
 * (lib/bridge/inbound.ts) and the Amazon MQ Lambda (functions/events-bridge.ts).
 *
 * The answer per event says whether it may be acknowledged to the broker: true once SQS
 * accepted it, or once it went to the events DLQ because SQS never will (larger than an
 * SQS message, or refused as the sender's fault); false when it should be tried again.
 * The body is forwarded untouched: judging it (JSON? a name?) is the events handler's job.
 */
import { SendMessageBatchCommand, type MessageAttributeValue, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { packBatches, SQS_MAX_BYTES } from '../adapters/sqs/dead-letters.ts';
import type { SqsMeter } from '../adapters/sqs/meter.ts';
import type { DeadLetters } from '../ports.ts';

export interface RawEvent {
  body: Buffer;
  /** The AMQP `message-id` property, if the publisher set one. */
  messageId?: string | undefined;
  routingKey?: string | undefined;
}

export interface ForwardTarget {
  sqs: SQSClient;
  /** The SQS `events` queue. */
  queueUrl: string;
  /** Its DLQ, for events SQS can never take. */
  deadLetters: DeadLetters;
  meter?: SqsMeter;
}

/** Room left in an SQS message for the attributes. */
const ATTRIBUTE_ALLOWANCE = 2048;
export const MAX_EVENT_BYTES = SQS_MAX_BYTES - ATTRIBUTE_ALLOWANCE;

function attributes(event: RawEvent): Record<string, MessageAttributeValue> {
  const attrs: Record<string, MessageAttributeValue> = {};
  if (event.messageId) attrs['messageId'] = { DataType: 'String', StringValue: event.messageId.slice(0, 256) };
  if (event.routingKey) attrs['routingKey'] = { DataType: 'String', StringValue: event.routingKey.slice(0, 256) };
  return attrs;
}

/**
 * Forwards a batch of events; never throws.
 *
 * @example const ok = await forwardEvents(target, [{ body: Buffer.from('{"name":"paid"}'), messageId: 'm-1' }]) // [true]
 */
export async function forwardEvents(target: ForwardTarget, events: RawEvent[]): Promise<boolean[]> {
  const ok = events.map(() => false);
  const letters: Array<{ index: number; reason: string }> = [];
  const entries: Array<{ index: number; entry: SendMessageBatchRequestEntry; bytes: number }> = [];
  events.forEach((event, index) => {
    const bytes = event.body.length;
    if (bytes > MAX_EVENT_BYTES) letters.push({ index, reason: `the event is ${bytes} bytes, larger than an SQS message (${MAX_EVENT_BYTES})` });
    else entries.push({ index, bytes, entry: { Id: String(index), MessageBody: event.body.toString('utf8'), MessageAttributes: attributes(event) } });
  });
  for (const batch of packBatches(entries, (e) => e.bytes + ATTRIBUTE_ALLOWANCE)) {
    try {
      const out = await target.sqs.send(new SendMessageBatchCommand({ QueueUrl: target.queueUrl, Entries: batch.map((e) => e.entry) }));
      target.meter?.record('SendMessageBatch', batch.reduce((sum, e) => sum + e.bytes, 0));
      for (const success of out.Successful ?? []) ok[Number(success.Id)] = true;
      for (const failure of out.Failed ?? []) {
        // A sender fault (e.g. characters SQS does not allow) will never succeed: dead-letter it.
        if (failure.SenderFault) letters.push({ index: Number(failure.Id), reason: `SQS refused the event: ${failure.Code ?? ''} ${failure.Message ?? ''}`.trim() });
      }
    } catch {
      // SQS unreachable or throttling: these stay unacknowledged and are tried again.
    }
  }
  if (letters.length > 0) {
    try {
      await target.deadLetters.send(letters.map(({ index, reason }) => ({ reason, body: (events[index] as RawEvent).body.toString('utf8'), messageId: events[index]?.messageId })));
      for (const { index } of letters) ok[index] = true;
    } catch {
      // The DLQ is SQS too: try again later.
    }
  }
  return ok;
}
