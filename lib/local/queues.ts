/**
 * Creates the queues the engine needs, as serverless.yml declares them on AWS:
 * commands (FIFO) and timers / events-out (standard), each with a DLQ after 5 receives.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface QueueUrls {
  commands: string;
  timers: string;
  events: string;
  commandsDlq: string;
  timersDlq: string;
  eventsDlq: string;
}

export const MAX_RECEIVE_COUNT = 5;

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
  const commands = await create(sqs, `${prefix}-commands.fifo`, { FifoQueue: 'true', ContentBasedDeduplication: 'false', VisibilityTimeout: visibility, RedrivePolicy: redrive(commandsDlq.arn) });
  const timersDlq = await create(sqs, `${prefix}-timers-dlq`);
  const timers = await create(sqs, `${prefix}-timers`, { VisibilityTimeout: visibility, RedrivePolicy: redrive(timersDlq.arn) });
  const eventsDlq = await create(sqs, `${prefix}-events-dlq`);
  const events = await create(sqs, `${prefix}-events`, { VisibilityTimeout: visibility, RedrivePolicy: redrive(eventsDlq.arn) });
  return { commands: commands.url, timers: timers.url, events: events.url, commandsDlq: commandsDlq.url, timersDlq: timersDlq.url, eventsDlq: eventsDlq.url };
}
