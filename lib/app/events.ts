/**
 * The events handler: an SQS batch of inbound events (from RabbitMQ, through the
 * bridge) -> commands, with partial batch failures.
 *
 *   record ──► parse ──malformed──► events DLQ { reason, body } (acked: never blocks the stream)
 *                │
 *                ▼ { name, correlationKey?, payload?, messageId?, timeToLiveMs? }
 *             publishMessage (lib/app/service/messages.ts) and broadcastSignal
 *             (lib/app/service/signals.ts), which keep only the subscribers whose
 *             condition holds (lib/app/service/subscribers.ts):
 *               - message catch / boundary events, receive tasks: the subscription index
 *                 (name + correlation key: one Query, never a scan)
 *               - message start events: the message start registry (name: one Query)
 *               - signal catch / boundary / event subprocess starts and signal start
 *                 events named like the event (`signal:<name>`, one Query each)
 *               - nothing matched: buffered with a TTL, or counted and logged as unmatched
 *                │
 *                ▼
 *             commands `msg:<messageId>:<instanceId>` / `sig:<messageId>:<instanceId>` (one
 *             per subscriber), sent in one go per batch: a redelivered event produces the
 *             same ids, so it changes nothing
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
import { createHash } from 'node:crypto';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import type { JsonObject } from '../core/json.ts';
import type { CommandEnvelope, DeadLetters, DefinitionStore, IndexStore } from '../ports.ts';
import { publishMessage, RESERVED_PREFIXES, type PublishResult } from './service/messages.ts';
import { broadcastSignal, type SignalDeps } from './service/signals.ts';
import { jsonBytes, LIMITS } from './limits.ts';
import { processSqsBatch } from './sqs-batch.ts';

/** Largest payload an event may carry (the engine's limit on a command's variables). */
export const MAX_PAYLOAD_BYTES = LIMITS.variablesBytes;
const MAX_TTL_MS = 14 * 24 * 3600 * 1000;

/** An inbound event as it arrives (JSON); `messageId` may also come from the AMQP `message-id`. */
export const inboundEventSchema = z.object({
  name: z.string().min(1).max(256),
  correlationKey: z.union([z.string().max(256), z.number()]).nullish(),
  payload: z.record(z.string(), z.json()).nullish(),
  messageId: z.string().min(1).max(128).optional(),
  timeToLiveMs: z.number().int().min(0).max(MAX_TTL_MS).optional(),
});

export interface InboundEvent {
  messageId: string;
  name: string;
  /** '' when the event has none (message start events need none). */
  correlationKey: string;
  payload: JsonObject;
  timeToLiveMs: number;
}

export type ParsedEvent = { ok: true; event: InboundEvent } | { ok: false; reason: string };

/**
 * Reads one inbound event. Without an id in the body or the `messageId` attribute, the id
 * is derived from the body, so a redelivery (or a re-forward by the bridge) keeps it.
 *
 * @example parseEvent('{"name":"paid","correlationKey":"o-1","payload":{"amount":5}}') // { ok: true, event: { messageId: 'h-…', … } }
 */
export function parseEvent(body: string, attributeMessageId?: string, defaultTtlMs = 0): ParsedEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the event is not JSON' };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { ok: false, reason: 'the event is not a JSON object' };
  if (typeof (json as { name?: unknown }).name !== 'string' || (json as { name: string }).name === '') return { ok: false, reason: 'the event has no name' };
  const reserved = RESERVED_PREFIXES.find((prefix) => (json as { name: string }).name.startsWith(prefix));
  if (reserved) return { ok: false, reason: `the event name may not start with '${reserved}'` };
  const parsed = inboundEventSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: `the event is invalid: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; ')}` };
  }
  const payload = (parsed.data.payload ?? {}) as JsonObject;
  const size = jsonBytes(payload);
  if (size > MAX_PAYLOAD_BYTES) return { ok: false, reason: `the payload is ${size} bytes, larger than ${MAX_PAYLOAD_BYTES}` };
  const messageId = parsed.data.messageId ?? attributeMessageId ?? `h-${createHash('sha256').update(body, 'utf8').digest('base64url').slice(0, 43)}`;
  if (messageId.length > 128) return { ok: false, reason: 'the message id is longer than 128 characters' };
  const key = parsed.data.correlationKey;
  return {
    ok: true,
    event: { messageId, name: parsed.data.name, correlationKey: key === null || key === undefined ? '' : String(key), payload, timeToLiveMs: parsed.data.timeToLiveMs ?? defaultTtlMs },
  };
}

/** What the events handler needs: what publishing a message and broadcasting a signal need, and the events DLQ. */
export interface EventDeps extends SignalDeps {
  deadLetters: DeadLetters;
  /** How long an event that matches nothing waits for a subscription, unless it says (default 0: not at all). */
  defaultTimeToLiveMs?: number;
  /** Events handled at once within a batch. */
  concurrency?: number;
}

export interface EventStats {
  received: number;
  /** Events that reached at least one subscriber. */
  matched: number;
  /** Commands sent (correlations + starts). */
  commands: number;
  /** Events that matched nothing now and wait in the buffer (TTL). */
  buffered: number;
  /** Events that matched nothing and have no TTL: counted and logged, not kept. */
  unmatched: number;
  malformed: number;
  failed: number;
}

export const emptyEventStats = (): EventStats => ({ received: 0, matched: 0, commands: 0, buffered: 0, unmatched: 0, malformed: 0, failed: 0 });

/** A port with some methods replaced, the rest still those of the original (a class instance). */
function override<T extends object>(target: T, overrides: Partial<T>): T {
  return Object.assign(Object.create(target) as T, overrides);
}

/**
 * Lookups shared by the events of one batch: events with the same name (and key) read the
 * index once. Nothing is applied before the batch's commands are sent, so the events of
 * a batch would all see the same subscribers anyway.
 */
interface BatchLookups {
  subscriptions: Map<string, ReturnType<IndexStore['findSubscriptions']>>;
  starts: Map<string, ReturnType<DefinitionStore['messageStarts']>>;
}

function once<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let hit = cache.get(key);
  if (!hit) {
    hit = load();
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

/** The ports the services use, with lookups shared across the batch and commands collected instead of sent. */
function scopedDeps(deps: EventDeps, collected: CommandEnvelope[], lookups: BatchLookups): SignalDeps {
  const index = override<IndexStore>(deps.index, {
    findSubscriptions: (name, key) => once(lookups.subscriptions, JSON.stringify([name, key]), () => deps.index.findSubscriptions(name, key)),
  });
  const definitions = override<DefinitionStore>(deps.definitions, {
    messageStarts: (name) => once(lookups.starts, name, () => deps.definitions.messageStarts(name)),
  });
  return { ...deps, index, definitions, commands: { send: async (envelopes) => void collected.push(...envelopes) } };
}

/** An event is offered both as a message (name + correlation key) and as a signal of its name. */
async function handleEvent(deps: EventDeps, event: InboundEvent, collected: CommandEnvelope[], lookups: BatchLookups): Promise<PublishResult> {
  const scoped = scopedDeps(deps, collected, lookups);
  const [message, signal] = await Promise.all([
    publishMessage(scoped, { name: event.name, correlationKey: event.correlationKey, variables: event.payload, messageId: event.messageId, timeToLiveMs: event.timeToLiveMs }),
    broadcastSignal(scoped, { name: event.name, variables: event.payload, signalId: event.messageId }),
  ]);
  return { ...message, correlated: message.correlated + signal.signaled, started: message.started + signal.started };
}

/** Sends malformed events to the DLQ; returns the records that could not be sent (to retry). */
async function deadLetter(deps: EventDeps, malformed: Array<{ record: SQSRecord; reason: string }>, stats: EventStats): Promise<string[]> {
  if (malformed.length === 0) return [];
  for (const { record, reason } of malformed) deps.logger.warn('malformed event sent to the DLQ', { sqsMessageId: record.messageId, reason });
  try {
    await deps.deadLetters.send(malformed.map(({ record, reason }) => ({ reason, body: record.body, messageId: record.messageAttributes?.['messageId']?.stringValue })));
    stats.malformed += malformed.length;
    return [];
  } catch (error) {
    deps.logger.error('could not send malformed events to the DLQ; will retry', { error: (error as Error).message });
    stats.failed += malformed.length;
    return malformed.map(({ record }) => record.messageId);
  }
}

/**
 * A batch's counts under their metric names (all of unit Count): the `events batch` log line
 * carries them, and functions/events.ts publishes them as CloudWatch metrics, so unmatched
 * events show on a graph.
 */
export function eventMetrics(stats: EventStats): Record<string, number> {
  return {
    EventsReceived: stats.received, EventsMatched: stats.matched, EventsUnmatched: stats.unmatched, EventsBuffered: stats.buffered,
    EventsMalformed: stats.malformed, EventsFailed: stats.failed, EventCommands: stats.commands,
  };
}

/**
 * Handles one SQS batch of inbound events. Each event runs in the batch processor
 * (lib/app/sqs-batch.ts, `concurrency` at once); what the batch sends in one go is sent after
 * it: malformed events to the DLQ with their reason (then acked), and the commands of all
 * events. An event whose lookup fails, or whose send fails, is reported for retry.
 * `total` adds this batch's counts (the edge turns them into metrics).
 */
export async function processEventBatch(deps: EventDeps, records: SQSRecord[], total?: EventStats): Promise<SQSBatchResponse> {
  const stats = emptyEventStats();
  stats.received = records.length;
  const malformed: Array<{ record: SQSRecord; reason: string }> = [];
  const handled = new Map<SQSRecord, { event: InboundEvent; commands: CommandEnvelope[]; result: PublishResult }>();
  const lookups: BatchLookups = { subscriptions: new Map(), starts: new Map() };
  const processed = await processSqsBatch(records, async (record) => {
    const parsed = parseEvent(record.body, record.messageAttributes?.['messageId']?.stringValue, deps.defaultTimeToLiveMs ?? 0);
    if (!parsed.ok) return void malformed.push({ record, reason: parsed.reason });
    const commands: CommandEnvelope[] = [];
    try {
      handled.set(record, { event: parsed.event, commands, result: await handleEvent(deps, parsed.event, commands, lookups) });
    } catch (error) {
      deps.logger.error('event failed; will be retried', { sqsMessageId: record.messageId, messageId: parsed.event.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, error: (error as Error).message });
      throw error;
    }
  }, { concurrency: deps.concurrency ?? 8 });
  const failed = new Set(processed.batchItemFailures.map((f) => f.itemIdentifier));
  for (const id of await deadLetter(deps, malformed, stats)) failed.add(id);
  const all = [...handled.values()].flatMap((h) => h.commands);
  try {
    if (all.length > 0) await deps.commands.send(all);
    stats.commands += all.length;
  } catch (error) {
    // Nothing is lost: the events that produced commands are retried, with the same command ids.
    deps.logger.error('could not send the commands of a batch; will retry', { error: (error as Error).message });
    for (const [record, h] of handled) if (h.commands.length > 0) failed.add(record.messageId);
  }
  for (const record of records) {
    const h = handled.get(record);
    if (failed.has(record.messageId)) {
      if (h || !malformed.some((m) => m.record === record)) stats.failed++;
    } else if (!h) continue;
    else if (h.result.correlated > 0) stats.matched++;
    else if (h.result.buffered) stats.buffered++;
    else {
      stats.unmatched++;
      deps.logger.warn('event matched nothing', { messageId: h.event.messageId, name: h.event.name, correlationKey: h.event.correlationKey });
    }
  }
  deps.logger.info('events batch', eventMetrics(stats));
  if (total) for (const key of Object.keys(stats) as Array<keyof EventStats>) total[key] += stats[key];
  return { batchItemFailures: records.filter((r) => failed.has(r.messageId)).map((r) => ({ itemIdentifier: r.messageId })) };
}
