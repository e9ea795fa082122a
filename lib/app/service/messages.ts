/**
 * Publishing a message (Zeebe semantics): it correlates to every instance with an open
 * subscription of that name and correlation key (one subscription per instance), starts
 * the processes whose message start event has that name, and, with a time to live, waits
 * in a buffer for subscriptions opened later (lib/app/effects.ts looks there).
 *
 * Idempotent per message id: the command ids are `msg:<messageId>:<instanceId>` and a
 * started instance's id derives from the message id, so a re-published message (same
 * `messageId`) changes nothing.
 */
import type { JsonObject } from '../../core/json.ts';
import type { CommandEnvelope } from '../../ports.ts';
import { envelope } from './commands.ts';
import type { ServiceDeps } from './deps.ts';
import { messageInstanceId, newCommandId } from './ids.ts';

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

export async function publishMessage(deps: ServiceDeps, input: PublishInput): Promise<PublishResult> {
  const messageId = input.messageId ?? newCommandId();
  const variables = input.variables ?? {};
  const now = deps.clock.now();
  const ttl = input.timeToLiveMs ?? 0;
  // Buffer first: a subscription opened while this runs then finds the message in the
  // buffer; the same command id on both paths makes the double send harmless.
  if (ttl > 0) await deps.index.bufferMessage({ messageId, name: input.name, correlationKey: input.correlationKey, variables, publishedAt: now, expiresAt: now + ttl });
  const [subscriptions, starts] = await Promise.all([deps.index.findSubscriptions(input.name, input.correlationKey), deps.definitions.messageStarts(input.name)]);
  const correlate = [...new Set(subscriptions.map((s) => s.instanceId))].map((instanceId): CommandEnvelope => envelope(instanceId, `msg:${messageId}:${instanceId}`, {
    type: 'correlateMessage', name: input.name, correlationKey: input.correlationKey, variables, messageId,
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

/** Signal events are not in the engine yet: a broadcast reaches nothing. */
export async function broadcastSignal(deps: ServiceDeps, input: { name: string }): Promise<{ signaled: number }> {
  deps.logger.info('signal broadcast (signal events are not supported yet)', { name: input.name });
  return { signaled: 0 };
}
