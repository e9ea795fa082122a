/**
 * Lambda: the inbound `events` queue (RabbitMQ events, through the bridge) -> message
 * correlations and message starts, with partial batch failures. Malformed events go to
 * the events DLQ (EVENTS_DLQ_URL) with their reason. EVENTS_DEFAULT_TTL_MS: how long an
 * event that matches nothing waits for a subscription (default 0).
 */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processEventBatch } from '../lib/app/events.ts';
import { runtimeFromEnv } from '../lib/composition/aws.ts';

const deps = runtimeFromEnv().eventDeps;
if (!deps) throw new Error('environment variable EVENTS_DLQ_URL is not set');

export const handler = middy<SQSEvent, SQSBatchResponse>().handler((event) => processEventBatch(deps, event.Records));
