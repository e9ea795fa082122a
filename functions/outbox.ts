/**
 * Lambda: the `outbox` queue -> RabbitMQ (Amazon MQ) exchange `sbpmn.out`, on a confirm
 * channel kept per warm container. A record is done only once the broker confirmed it;
 * the rest are reported as batch item failures and come back from SQS.
 * Environment: RABBITMQ_URL (amqps://<broker>:5671), RABBITMQ_SECRET_ARN (its username
 * and password), OUTBOUND_EXCHANGE (default sbpmn.out), LOG_LEVEL.
 */
import middy from '@middy/core';
import { edge } from '../lib/composition/edge.ts';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { brokerUrl, TOPOLOGY } from '../lib/bridge/amqp.ts';
import { LazyConfirmChannel, publishOutboxRecords } from '../lib/bridge/outbound.ts';
import { loggerFromEnv } from '../lib/composition/aws.ts';

const exchange = process.env['OUTBOUND_EXCHANGE'] || TOPOLOGY.outboundExchange;
const channels = new LazyConfirmChannel(() => brokerUrl(process.env), exchange);
const logger = loggerFromEnv();

export const handler = middy<SQSEvent, SQSBatchResponse>().use(edge()).handler((event) => publishOutboxRecords(channels, exchange, event.Records, logger));
