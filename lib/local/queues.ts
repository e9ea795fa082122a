/**
 * Creates the queues the engine needs, as serverless.yml declares them on AWS:
 * commands (FIFO), timers, outbox (outbound process messages -> RabbitMQ) and events
 * (inbound RabbitMQ events -> subscriptions), each with a DLQ after 5 receives.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface QueueUrls {
  commands: string;
  timers: string;
  /** Outbound: messages the processes publish (EventBus), drained by the RabbitMQ publisher. */
  outbox: string;
  /** Inbound: events from RabbitMQ (the bridge), handled by functions/events.ts. */
  events: string;
  commandsDlq: string;
  timersDlq: string;
  outboxDlq: string;
  eventsDlq: string;
}

export const MAX_RECEIVE_COUNT = 5;
/** The inbound events queue takes messages up to SQS's maximum (1 MiB); larger ones are dead-lettered by the bridge. */
export const EVENTS_MAX_MESSAGE_BYTES = 1024 * 1024;

async function create(sqs: SQSClient, name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = out.QueueUrl as string;
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: attrs.Attributes?.['QueueArn'] as string };
}

export async function createQueues(sqs: SQSClient, prefix: string, options: { visibilityTimeoutSeconds?: number } = {}): Promise<QueueUrls> {
  const visibility = String(options.visibilityTimeoutSeconds ?? 180);
  const redrive = (arn: string) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: MAX_RECEIVE_COUNT });
  const commandsDlq = await create(sqs, `${prefix}-commands-dlq.fifo`, { FifoQueue: 'true' });
  const commands = await create(sqs, `${prefix}-commands.fifo`, {
    FifoQueue: 'true', ContentBasedDeduplication: 'false', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId',
    VisibilityTimeout: visibility, RedrivePolicy: redrive(commandsDlq.arn),
  });
  const timersDlq = await create(sqs, `${prefix}-timers-dlq`);
  const timers = await create(sqs, `${prefix}-timers`, { VisibilityTimeout: visibility, RedrivePolicy: redrive(timersDlq.arn) });
  const outboxDlq = await create(sqs, `${prefix}-outbox-dlq`);
  const outbox = await create(sqs, `${prefix}-outbox`, { VisibilityTimeout: visibility, RedrivePolicy: redrive(outboxDlq.arn) });
  const eventsDlq = await create(sqs, `${prefix}-events-dlq`, { MaximumMessageSize: String(EVENTS_MAX_MESSAGE_BYTES) });
  const events = await create(sqs, `${prefix}-events`, {
    VisibilityTimeout: visibility, MaximumMessageSize: String(EVENTS_MAX_MESSAGE_BYTES), RedrivePolicy: redrive(eventsDlq.arn),
  });
  return {
    commands: commands.url, timers: timers.url, outbox: outbox.url, events: events.url,
    commandsDlq: commandsDlq.url, timersDlq: timersDlq.url, outboxDlq: outboxDlq.url, eventsDlq: eventsDlq.url,
  };
}
