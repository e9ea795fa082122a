/**
 * Opening what an event waits for: a timer or a message subscription, owned by an
 * element instance (the catch event itself, the activity carrying a boundary event,
 * or an event-based gateway). Returns a problem message instead of throwing.
 */
import { conditionValue, type ConditionValue } from '../../expressions/condition-value.ts';
import { dueTime } from '../model/timers.ts';
import { conditionOf, signalSubscriptionName, triggerOf, type ElementDef, type MessageRef, type TimerSpec } from '../model/types.ts';
import type { Context } from '../context.ts';

export function openEventListener(run: Context, ei: string, event: ElementDef): string | null {
  const trigger = triggerOf(event);
  if (trigger?.type === 'timer') return scheduleTimer(run, ei, event, trigger.timer);
  if (trigger?.type === 'message') return subscribe(run, ei, event, trigger.message);
  if (trigger?.type === 'signal') return subscribeSignal(run, ei, event, trigger.name);
  if (trigger?.type === 'conditional') return openCondition(run, ei, event, trigger.condition);
  return null;
}

/** A signal catch waits as a subscription named `signal:<name>` with correlation key '' (one index for both). */
function subscribeSignal(run: Context, ei: string, event: ElementDef, signal: string): string | null {
  const name = run.value(signal, ei);
  if (!name.ok) return `signal name of '${event.id}': ${name.message}`;
  const key = run.newKey();
  const sub = { messageName: signalSubscriptionName(String(name.value)), correlationKey: '' };
  run.emit({ type: 'SubscriptionOpened', key, ei, elementId: event.id, ...sub });
  run.effect({ type: 'subscription.opened', subscriptionId: run.id(key), instanceId: run.state.instanceId, elementId: event.id, ...sub, condition: null });
  return null;
}

function scheduleTimer(run: Context, ei: string, event: ElementDef, timer: TimerSpec): string | null {
  const { kind, expr } = timer;
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

function subscribe(run: Context, ei: string, event: ElementDef, message: MessageRef): string | null {
  const { name, correlationKey } = message;
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
  run.effect({ type: 'subscription.opened', subscriptionId: run.id(key), instanceId: run.state.instanceId, elementId: event.id, ...sub, condition: conditionOf(event) });
  return null;
}

/** The value of conditional event `elementId`'s `condition` for element instance `ei`. */
export function evaluateCondition(run: Context, ei: string, elementId: string, condition: string): ConditionValue {
  return conditionValue(run.feel(condition, ei), `condition of '${elementId}' ('${condition}')`);
}

/**
 * Opens the listener of a conditional event owned by `ei`. An intermediate catch event is
 * evaluated at once (true: it completes; a failure is returned as the activation's problem).
 */
function openCondition(run: Context, ei: string, event: ElementDef, condition: string): string | null {
  if (event.kind === 'intermediateCatchEvent') {
    const now = evaluateCondition(run, ei, event.id, condition);
    if (!now.ok) return now.message;
    if (now.holds) {
      run.later(() => run.complete(ei));
      return null;
    }
  }
  run.emit({ type: 'ConditionOpened', key: run.newKey(), ei, elementId: event.id });
  return null;
}
