/**
 * Lambda: the inbound `events` queue (RabbitMQ events, through the bridge) -> message
 * correlations and message starts, with partial batch failures. Malformed events go to
 * the events DLQ (EVENTS_DLQ_URL) with their reason. EVENTS_DEFAULT_TTL_MS: how long an
 * event that matches nothing waits for a subscription (default 0).
 */
import middy from '@middy/core';
import { addCounts, edge } from '../lib/adapters/edge.ts';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { emptyEventStats, eventMetrics, processEventBatch, type EventDeps } from '../lib/app/events.ts';
import { runtimeFromEnv } from '../lib/adapters/wiring.ts';

const runtime = runtimeFromEnv();
if (!runtime.deadLetters) throw new Error('environment variable EVENTS_DLQ_URL is not set');

const deps: EventDeps = {
  instances: runtime.instances, definitions: runtime.definitions, resolver: runtime.transition.definitions, index: runtime.index,
  commands: runtime.commands, clock: runtime.clock, logger: runtime.logger, deadLetters: runtime.deadLetters,
  defaultTimeToLiveMs: Number(process.env['EVENTS_DEFAULT_TTL_MS'] ?? 0),
};

// The batch's counts are published as metrics (EventsReceived, EventsUnmatched, ...) after each invocation.
export const handler = middy<SQSEvent, SQSBatchResponse>().use(edge({ metrics: true })).handler(async (event) => {
  const stats = emptyEventStats();
  const response = await processEventBatch(deps, event.Records, stats);
  addCounts(eventMetrics(stats));
  return response;
});
