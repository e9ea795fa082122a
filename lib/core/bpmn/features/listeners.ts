/**
 * Opening what an event waits for: a timer or a message subscription, owned by an
 * element instance (the catch event itself, the activity carrying a boundary event,
 * or an event-based gateway). Returns a problem message instead of throwing.
 */
import { conditionValue, type ConditionValue } from '../../expressions/condition-value.ts';
import { dueTime } from '../model/timers.ts';
import { signalSubscriptionName, type ElementDef } from '../model/types.ts';
import type { Context } from '../context.ts';

export function openEventListener(run: Context, ei: string, event: ElementDef): string | null {
  const trigger = event.trigger;
  if (trigger?.type === 'timer') return scheduleTimer(run, ei, event);
  if (trigger?.type === 'message') return subscribe(run, ei, event);
  if (trigger?.type === 'signal') return subscribeSignal(run, ei, event);
  if (trigger?.type === 'conditional') return openCondition(run, ei, event);
  return null;
}

/** A signal catch waits as a subscription named `signal:<name>` with correlation key '' (one index for both). */
function subscribeSignal(run: Context, ei: string, event: ElementDef): string | null {
  if (event.trigger?.type !== 'signal') return null;
  const name = run.value(event.trigger.name, ei);
  if (!name.ok) return `signal name of '${event.id}': ${name.message}`;
  const key = run.newKey();
  const sub = { messageName: signalSubscriptionName(String(name.value)), correlationKey: '' };
  run.emit({ type: 'SubscriptionOpened', key, ei, elementId: event.id, ...sub });
  run.effect({ type: 'subscription.opened', subscriptionId: run.id(key), instanceId: run.state.instanceId, elementId: event.id, ...sub, condition: null });
  return null;
}

function scheduleTimer(run: Context, ei: string, event: ElementDef): string | null {
  if (event.trigger?.type !== 'timer') return null;
  const { kind, expr } = event.trigger.timer;
  const value = run.value(expr, ei);
  if (!value.ok) return `timer of '${event.id}': ${value.message}`;
  if (typeof value.value !== 'string') return `timer of '${event.id}' must be text, got ${JSON.stringify(value.value)}`;
  const due = dueTime(kind, value.value, run.now);
  if (!due.ok) return `timer of '${event.id}': ${due.message}`;
  const repetitions = kind === 'cycle' && due.repetitions !== null ? due.repetitions - 1 : null;
  const key = run.newKey();
  run.emit({ type: 'TimerScheduled', key, ei, elementId: event.id, dueAt: due.dueAt, repetitions, cycle: kind === 'cycle' ? value.value : null });
  run.effect({ type: 'timer.scheduled', timerId: run.id(key), instanceId: run.state.instanceId, elementId: event.id, dueAt: due.dueAt });
  return null;
}

function subscribe(run: Context, ei: string, event: ElementDef): string | null {
  if (event.trigger?.type !== 'message') return null;
  const { name, correlationKey } = event.trigger.message;
  const messageName = run.value(name, ei);
  if (!messageName.ok) return `message name of '${event.id}': ${messageName.message}`;
  const keyValue = correlationKey ? run.value(correlationKey, ei) : { ok: true as const, value: '' };
  if (!keyValue.ok) return `correlation key of '${event.id}': ${keyValue.message}`;
  if (typeof keyValue.value !== 'string' && typeof keyValue.value !== 'number') {
    return `correlation key of '${event.id}' must be a string or number, got ${JSON.stringify(keyValue.value)}`;
  }
  const key = run.newKey();
  const sub = { messageName: String(messageName.value), correlationKey: String(keyValue.value) };
  run.emit({ type: 'SubscriptionOpened', key, ei, elementId: event.id, ...sub });
  run.effect({ type: 'subscription.opened', subscriptionId: run.id(key), instanceId: run.state.instanceId, elementId: event.id, ...sub, condition: event.condition });
  return null;
}

/** The value of conditional event `event`'s condition for element instance `ei`. */
export function evaluateCondition(run: Context, ei: string, event: ElementDef): ConditionValue {
  if (event.trigger?.type !== 'conditional') throw new Error(`element '${event.id}' is not a conditional event`);
  return conditionValue(run.feel(event.trigger.condition, ei), `condition of '${event.id}' ('${event.trigger.condition}')`);
}

/**
 * Opens the listener of a conditional event owned by `ei`. An intermediate catch event is
 * evaluated at once (true: it completes; a failure is returned as the activation's problem).
 */
export function openCondition(run: Context, ei: string, event: ElementDef): string | null {
  if (event.kind === 'intermediateCatchEvent') {
    const now = evaluateCondition(run, ei, event);
    if (!now.ok) return now.message;
    if (now.holds) {
      run.later(() => run.complete(ei));
      return null;
    }
  }
  run.emit({ type: 'ConditionOpened', key: run.newKey(), ei, elementId: event.id });
  return null;
}
