/**
 * Publishing a message (Zeebe semantics): it correlates to every instance with an open
 * subscription of that name and correlation key (one subscription per instance: the
 * oldest whose condition holds, named in the command), starts the processes whose
 * message start event has that name (and whose condition holds), and, with a time to live, waits
 * in a buffer for subscriptions opened later (lib/app/effects.ts looks there).
 *
 * Idempotent per message id: the command ids are `msg:<messageId>:<instanceId>` and a
 * started instance's id derives from the message id, so a re-published message (same
 * `messageId`) changes nothing.
 */
import type { JsonObject } from '../../core/json.ts';
import { signalSubscriptionName } from '../../core/bpmn/model/types.ts';
import type { CommandEnvelope } from '../../ports.ts';
import { CONDITIONAL_STARTS } from '../definitions.ts';
import { envelope } from './commands.ts';
import { InvalidRequest } from './errors.ts';
import { messageInstanceId, newCommandId } from './ids.ts';
import type { SignalDeps } from './signals.ts';
import { matchingStarts, matchingSubscriptions } from './subscribers.ts';

/** Name prefixes the subscription index and start registry keep for signals and conditional starts. */
export const RESERVED_PREFIXES = [signalSubscriptionName(''), CONDITIONAL_STARTS];

export interface PublishInput {
  name: string;
  correlationKey: string;
  variables?: JsonObject | undefined;
  timeToLiveMs?: number | undefined;
  messageId?: string | undefined;
}

export interface PublishResult {
  messageId: string;
  /** Instances the message was sent to: open subscriptions plus instances it starts. */
  correlated: number;
  /** Of those, instances started by a message start event. */
  started: number;
  buffered: boolean;
}

export async function publishMessage(deps: SignalDeps, input: PublishInput): Promise<PublishResult> {
  const reserved = RESERVED_PREFIXES.find((prefix) => input.name.startsWith(prefix));
  if (reserved) throw new InvalidRequest(`message names may not start with '${reserved}' (reserved for signals and conditional starts)`);
  const messageId = input.messageId ?? newCommandId();
  const variables = input.variables ?? {};
  const now = deps.clock.now();
  const ttl = input.timeToLiveMs ?? 0;
  // Buffer first: a subscription opened while this runs then finds the message in the
  // buffer; the same command id on both paths makes the double send harmless.
  if (ttl > 0) await deps.index.bufferMessage({ messageId, name: input.name, correlationKey: input.correlationKey, variables, publishedAt: now, expiresAt: now + ttl });
  const facts = { name: input.name, correlationKey: input.correlationKey, payload: variables };
  const [subscriptions, starts] = await Promise.all([matchingSubscriptions(deps, input.name, facts), matchingStarts(deps, input.name, facts)]);
  const correlate = subscriptions.map((s): CommandEnvelope => envelope(s.instanceId, `msg:${messageId}:${s.instanceId}`, {
    type: 'correlateMessage', name: input.name, correlationKey: input.correlationKey, variables, messageId, subscriptionId: s.subscriptionId,
  }));
  const start = starts.map((s): CommandEnvelope => {
    const instanceId = messageInstanceId(messageId, s.definitionKey);
    return envelope(instanceId, `msg:${messageId}:${instanceId}`, { type: 'start', instanceId, variables, startEventId: s.startEventId }, { key: s.definitionKey, version: s.version });
  });
  const all = [...correlate, ...start];
  if (all.length > 0) await deps.commands.send(all);
  deps.logger.info('message published', { messageId, name: input.name, correlated: correlate.length, started: start.length, buffered: ttl > 0 });
  return { messageId, correlated: all.length, started: start.length, buffered: ttl > 0 };
}
