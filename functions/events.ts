/**
 * Lambda: the inbound `events` queue (RabbitMQ events, through the bridge) -> message
 * correlations and message starts, with partial batch failures. Malformed events go to
 * the events DLQ (EVENTS_DLQ_URL) with their reason. EVENTS_DEFAULT_TTL_MS: how long an
 * event that matches nothing waits for a subscription (default 0).
 */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processEventBatch, type EventDeps } from '../lib/app/events.ts';
import { runtimeFromEnv } from '../lib/adapters/wiring.ts';

const runtime = runtimeFromEnv();
if (!runtime.deadLetters) throw new Error('environment variable EVENTS_DLQ_URL is not set');

const deps: EventDeps = {
  instances: runtime.instances, definitions: runtime.definitions, resolver: runtime.transition.definitions, index: runtime.index,
  commands: runtime.commands, clock: runtime.clock, logger: runtime.logger, deadLetters: runtime.deadLetters,
  defaultTimeToLiveMs: Number(process.env['EVENTS_DEFAULT_TTL_MS'] ?? 0),
};

export const handler = middy<SQSEvent, SQSBatchResponse>().handler((event) => processEventBatch(deps, event.Records));
