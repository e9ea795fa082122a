/**
 * Broadcasting a signal (BPMN semantics, as Zeebe): it reaches every instance with an
 * open signal subscription of that name (intermediate catch, boundary, event subprocess
 * start: all of them in each instance) and starts the latest version of every process
 * with a signal start event of that name. Signals have no correlation key and are not
 * buffered: a signal nobody waits for is gone.
 *
 * Signals reuse the message subscription index and the start registry under the name
 * `signal:<name>` (see `signalSubscriptionName`), so a broadcast is one Query for the
 * subscriptions and one for the starts, never a scan.
 *
 * Idempotent per signal id: commands are `sig:<signalId>:<instanceId>`, a started
 * instance's id derives from the signal id, and the core records the signal id, so a
 * repeated broadcast (a redelivered event, a re-emitted effect) changes nothing.
 */
import type { JsonObject } from '../../core/json.ts';
import { signalSubscriptionName } from '../../core/bpmn/model/types.ts';
import type { CommandEnvelope } from '../../ports.ts';
import { envelope } from './commands.ts';
import type { ServiceDeps } from './deps.ts';
import { messageInstanceId, newCommandId } from './ids.ts';
import { matchingStarts, matchingSubscriptions, type SubscriberDeps } from './subscribers.ts';

export type SignalDeps = SubscriberDeps & Pick<ServiceDeps, 'commands'>;

export interface SignalInput {
  name: string;
  variables?: JsonObject | undefined;
  /** Broadcasting the same signal id again changes nothing; a fresh id when absent. */
  signalId?: string | undefined;
}

export interface SignalResult {
  signalId: string;
  /** Instances the signal was sent to: those waiting for it plus those it starts. */
  signaled: number;
  /** Of those, instances started by a signal start event. */
  started: number;
}

/** The commands a broadcast sends (not sent yet): for callers that batch them. */
export async function signalCommands(deps: SubscriberDeps, input: SignalInput): Promise<{ signalId: string; envelopes: CommandEnvelope[]; started: number }> {
  const signalId = input.signalId ?? newCommandId();
  const variables = input.variables ?? {};
  const name = signalSubscriptionName(input.name);
  const facts = { name: input.name, correlationKey: '', payload: variables };
  const [subscriptions, starts] = await Promise.all([matchingSubscriptions(deps, name, facts), matchingStarts(deps, name, facts)]);
  const deliver = subscriptions.map((s) => envelope(s.instanceId, `sig:${signalId}:${s.instanceId}`, { type: 'broadcastSignal', name: input.name, variables, signalId }));
  const start = starts.map((s) => {
    const instanceId = messageInstanceId(`sig:${signalId}`, s.definitionKey);
    return envelope(instanceId, `sig:${signalId}:${instanceId}`, { type: 'start', instanceId, variables, startEventId: s.startEventId }, { key: s.definitionKey, version: s.version });
  });
  return { signalId, envelopes: [...deliver, ...start], started: start.length };
}

export async function broadcastSignal(deps: SignalDeps, input: SignalInput): Promise<SignalResult> {
  const { signalId, envelopes, started } = await signalCommands(deps, input);
  if (envelopes.length > 0) await deps.commands.send(envelopes);
  deps.logger.info('signal broadcast', { signalId, name: input.name, signaled: envelopes.length, started });
  return { signalId, signaled: envelopes.length, started };
}
