/**
 * Who a message or signal reaches, with the subscribers' FEEL conditions applied
 * (`lib/app/conditions.ts`): every path in (the API, inbound RabbitMQ events, a signal
 * thrown inside a transition) asks here, so a condition means the same everywhere.
 *
 *   subscriptions: the subscription index, one Query by name + correlation key
 *   starts:        the start registry (message and signal start events), one Query by name
 *
 * A condition that fails to evaluate does not hold, and the problem is logged with the
 * subscriber it belongs to.
 */
import { conditionOf } from '../../core/bpmn/model/types.ts';
import type { Effect } from '../../core/effects.ts';
import type { MessageStart } from '../../ports.ts';
import { conditionHolds, type MessageFacts } from '../conditions.ts';
import type { ServiceDeps } from './deps.ts';

/** What finding subscribers needs. */
export type SubscriberDeps = Pick<ServiceDeps, 'index' | 'definitions' | 'resolver' | 'clock' | 'logger'>;

export type SubscriptionEntry = Extract<Effect, { type: 'subscription.opened' }>;

/** The start event's condition: from the registry, or (registered before conditions) from the compiled definition. */
async function startCondition(deps: SubscriberDeps, start: MessageStart): Promise<string | null> {
  if (start.condition !== undefined) return start.condition;
  const definition = await deps.resolver.resolve(start.definitionKey, start.version);
  return conditionOf(definition.elements[start.startEventId]);
}

function holds(deps: SubscriberDeps, condition: string | null | undefined, facts: MessageFacts, subscriber: Record<string, unknown>): boolean {
  const verdict = conditionHolds(condition, facts, deps.clock.now());
  if (!verdict.holds && verdict.problem) deps.logger.warn('subscriber condition failed to evaluate; treated as false', { ...subscriber, name: facts.name, problem: verdict.problem });
  return verdict.holds;
}

/**
 * The open subscriptions `facts` reaches, at most one per instance: the oldest whose
 * condition holds (the command then names it, so the instance takes exactly that one).
 */
export async function matchingSubscriptions(deps: SubscriberDeps, subscriptionName: string, facts: MessageFacts): Promise<SubscriptionEntry[]> {
  const found = await deps.index.findSubscriptions(subscriptionName, facts.correlationKey);
  const byInstance = new Map<string, SubscriptionEntry>();
  const ordered = [...found].sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId, 'en', { numeric: true }));
  for (const sub of ordered) {
    if (byInstance.has(sub.instanceId)) continue;
    if (holds(deps, sub.condition, facts, { instanceId: sub.instanceId, elementId: sub.elementId })) byInstance.set(sub.instanceId, sub);
  }
  return [...byInstance.values()];
}

/** The processes (latest registered version) whose start event `startName` names and whose condition holds. */
export async function matchingStarts(deps: SubscriberDeps, startName: string, facts: MessageFacts): Promise<MessageStart[]> {
  const starts = await deps.definitions.messageStarts(startName);
  const checked = await Promise.all(starts.map(async (start) => ({ start, ok: holds(deps, await startCondition(deps, start), facts, { definitionKey: start.definitionKey, startEventId: start.startEventId }) })));
  return checked.filter((c) => c.ok).map((c) => c.start);
}
