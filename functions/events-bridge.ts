/**
 * Lambda: the inbound RabbitMQ bridge on AWS. Amazon MQ (RabbitMQ) event source on the
 * queue `sbpmn.inbound` -> SQS `events` (EVENTS_QUEUE_URL); events SQS can never take go
 * to its DLQ (EVENTS_DLQ_URL) with the reason. The event source acknowledges the batch
 * only when this returns, so a failure redelivers it and nothing is lost.
 */
import middy from '@middy/core';
import { edge } from '../lib/adapters/edge.ts';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsConfig } from '../lib/adapters/config.ts';
import { jsonLogger } from '../lib/adapters/logger.ts';
import { SqsDeadLetters } from '../lib/adapters/sqs/dead-letters.ts';
import { forwardMqEvent } from '../lib/bridge/mq-event.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

const sqs = new SQSClient(awsConfig('SQS'));
const target = { sqs, queueUrl: required('EVENTS_QUEUE_URL'), deadLetters: new SqsDeadLetters(sqs, required('EVENTS_DLQ_URL')) };
const logger = jsonLogger();

export const handler = middy<unknown, { forwarded: number }>().use(edge()).handler((event) => forwardMqEvent(target, event, logger));
