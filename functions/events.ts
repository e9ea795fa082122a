/**
 * Lambda: the inbound `events` queue (RabbitMQ events, through the bridge) -> message
 * correlations and message starts, with partial batch failures. Malformed events go to
 * the events DLQ (EVENTS_DLQ_URL) with their reason. EVENTS_DEFAULT_TTL_MS: how long an
 * event that matches nothing waits for a subscription (default 0).
 */
import middy from '@middy/core';
import { addCounts, edge } from '../lib/composition/edge.ts';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { emptyEventStats, eventMetrics, processEventBatch } from '../lib/app/events.ts';
import { runtimeFromEnv } from '../lib/composition/aws.ts';

const deps = runtimeFromEnv().eventDeps;
if (!deps) throw new Error('environment variable EVENTS_DLQ_URL is not set');

// The batch's counts are published as metrics (EventsReceived, EventsUnmatched, ...) after each invocation.
export const handler = middy<SQSEvent, SQSBatchResponse>().use(edge({ metrics: true })).handler(async (event) => {
  const stats = emptyEventStats();
  const response = await processEventBatch(deps, event.Records, stats);
  addCounts(eventMetrics(stats));
  return response;
});
