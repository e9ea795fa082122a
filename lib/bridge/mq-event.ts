/**
 * The Amazon MQ for RabbitMQ event source's Lambda event -> raw events for the forwarder.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html
 *
 *   { "eventSource": "aws:rmq", "eventSourceArn": "arn:aws:mq:...",
 *     "rmqMessagesByQueue": { "sbpmn.inbound::/": [ { "basicProperties": { "messageId": "m-1", ... }, "redelivered": false, "data": "<base64>" } ] } }
 */
import * as z from 'zod';
import type { Logger } from '../ports.ts';
import { forwardEvents, type ForwardTarget, type RawEvent } from './forward.ts';

export const rabbitMqEventSchema = z.object({
  eventSource: z.literal('aws:rmq'),
  eventSourceArn: z.string().optional(),
  rmqMessagesByQueue: z.record(z.string(), z.array(z.looseObject({
    basicProperties: z.looseObject({ messageId: z.string().nullish() }).optional(),
    redelivered: z.boolean().optional(),
    data: z.string(),
  }))),
});
export type RabbitMqEvent = z.infer<typeof rabbitMqEventSchema>;

export function rawEventsOf(event: RabbitMqEvent): RawEvent[] {
  return Object.values(event.rmqMessagesByQueue).flat().map((m) => ({ body: Buffer.from(m.data, 'base64'), messageId: m.basicProperties?.messageId ?? undefined }));
}

/**
 * Forwards every message of the event to SQS `events`; throws when some were not taken,
 * so the event source redelivers the batch (the copies that did arrive are deduplicated
 * downstream by their message ids).
 */
export async function forwardMqEvent(target: ForwardTarget, input: unknown, logger: Logger): Promise<{ forwarded: number }> {
  const event = rabbitMqEventSchema.parse(input);
  const raw = rawEventsOf(event);
  const ok = await forwardEvents(target, raw);
  const failed = ok.filter((x) => !x).length;
  if (failed > 0) {
    logger.warn('some events were not taken by SQS; the batch is redelivered', { failed, total: raw.length });
    throw new Error(`${failed} of ${raw.length} events were not forwarded`);
  }
  return { forwarded: raw.length };
}
