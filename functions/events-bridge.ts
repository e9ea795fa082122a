/**
 * Lambda: the inbound RabbitMQ bridge on AWS. Amazon MQ (RabbitMQ) event source on the
 * queue `sbpmn.inbound` -> SQS `events` (EVENTS_QUEUE_URL); events SQS can never take go
 * to its DLQ (EVENTS_DLQ_URL) with the reason. The event source acknowledges the batch
 * only when this returns, so a failure redelivers it and nothing is lost.
 */
import middy from '@middy/core';
import { edge } from '../lib/composition/edge.ts';
import { forwardMqEvent } from '../lib/bridge/mq-event.ts';
import { bridgeTargetFromEnv, loggerFromEnv } from '../lib/composition/aws.ts';

const target = bridgeTargetFromEnv();
const logger = loggerFromEnv();

export const handler = middy<unknown, { forwarded: number }>().use(edge()).handler((event) => forwardMqEvent(target, event, logger));
