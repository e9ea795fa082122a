/**
 * Something happened to a waiting element instance: a timer fired, a message
 * correlated, an error was thrown. Who receives it depends on what owns the
 * timer/subscription: the catch event itself, an activity's boundary event, or an
 * event-based gateway.
 */
import type { JsonObject } from './json.ts';
import { acceptVariables, activate, complete, terminate } from './lifecycle.ts';
import { openEventListener } from './listeners.ts';
import { isInner } from './loops.ts';
import { cycleNext } from './model/timers.ts';
import type { ElementDef } from './model/types.ts';
import type { Run } from './run.ts';
import { ROOT, type Subscription, type Timer } from './state/types.ts';

/** Delivers a fired timer or correlated message to whoever waits for `eventId` on `ei`. */
function deliver(run: Run, ei: string, eventId: string, variables: JsonObject | undefined): void {
  const owner = run.instance(ei);
  if (!owner) return;
  const ownerEl = run.element(owner.elementId);
  const event = run.element(eventId);
  if (owner.elementId === eventId) {
    acceptVariables(run, ei, variables);
    run.later(() => complete(run, ei));
  } else if (event.kind === 'boundaryEvent') {
    triggerBoundary(run, ei, event, variables);
  } else if (ownerEl.kind === 'eventBasedGateway') {
    const flow = ownerEl.outgoing.find((id) => run.definition.flows[id]?.target === eventId);
    run.detach(ei);
    run.emit({ type: 'ElementCompleted', key: ei, elementId: ownerEl.id });
    if (flow) {
      run.emit({ type: 'FlowTaken', flowId: flow });
      run.later(() => activate(run, eventId, owner.scope, { variables: variables ?? {} }));
    }
  }
}

export function triggerBoundary(run: Run, hostKey: string, boundary: ElementDef, variables: JsonObject | undefined): void {
  const host = run.instance(hostKey);
  if (!host) return;
  if (boundary.cancelActivity) terminate(run, hostKey);
  const scope = host.scope;
  run.later(() => activate(run, boundary.id, scope, { variables: variables ?? {} }));
}

export function fireTimer(run: Run, timer: Timer): void {
  run.emit({ type: 'TimerFired', key: timer.key });
  const event = run.element(timer.elementId);
  const repeats = timer.cycle !== null && (timer.repetitions === null || timer.repetitions > 0);
  if (repeats && event.kind === 'boundaryEvent' && !event.cancelActivity && timer.cycle) {
    const next = cycleNext(timer.cycle, timer.dueAt, Math.max(timer.dueAt, run.now));
    if (next.ok) {
      const key = run.newKey();
      const repetitions = timer.repetitions === null ? null : timer.repetitions - 1;
      run.emit({ type: 'TimerScheduled', key, ei: timer.ei, elementId: timer.elementId, dueAt: next.dueAt, repetitions, cycle: timer.cycle });
      run.effect({ type: 'timer.scheduled', timerId: run.id(key), instanceId: run.state.instanceId, elementId: timer.elementId, dueAt: next.dueAt });
    }
  }
  deliver(run, timer.ei, timer.elementId, undefined);
}

export function correlate(run: Run, sub: Subscription, variables: JsonObject | undefined, messageId: string | null): void {
  run.emit({ type: 'SubscriptionCorrelated', key: sub.key, messageId });
  run.closeSubscription(sub);
  const event = run.element(sub.elementId);
  // A non-interrupting message boundary keeps listening while its activity runs.
  if (event.kind === 'boundaryEvent' && !event.cancelActivity) openEventListener(run, sub.ei, event);
  deliver(run, sub.ei, sub.elementId, variables);
}

/**
 * Throws a BPMN error from element instance `from`: the nearest enclosing activity
 * with an error boundary event for this code (or a catch-all) catches it. Uncaught
 * errors become an incident on the thrower. Returns whether it was caught.
 */
export function throwError(run: Run, from: string, errorCode: string, errorMessage: string | null, jobKey: string | null): boolean {
  let current: string | undefined = from;
  while (current !== undefined && current !== ROOT) {
    const ei = run.instance(current);
    if (!ei) break;
    // The boundary events of a multi-instance activity belong to its body.
    if (isInner(run, ei)) {
      current = ei.scope;
      continue;
    }
    const catchers = run.element(ei.elementId).boundaries.map((id) => run.element(id)).filter((b) => b.trigger?.type === 'error');
    const match = catchers.find((b) => b.trigger?.type === 'error' && b.trigger.errorCode === errorCode)
      ?? catchers.find((b) => b.trigger?.type === 'error' && b.trigger.errorCode === null);
    if (match) {
      run.emit({ type: 'ErrorThrown', ei: from, errorCode, errorMessage, caughtBy: match.id });
      triggerBoundary(run, current, match, undefined);
      return true;
    }
    current = ei.scope;
  }
  run.emit({ type: 'ErrorThrown', ei: from, errorCode, errorMessage, caughtBy: null });
  const detail = errorMessage ? `: ${errorMessage}` : '';
  run.incident(from, 'unhandledError', `error '${errorCode}' was thrown and no boundary event catches it${detail}`, jobKey ? 'job' : 'error', jobKey);
  return false;
}

/**
 * Throws a BPMN escalation from element instance `from` (Camunda 8 semantics): the
 * nearest enclosing subprocess with an escalation boundary event for this code (or a
 * catch-all) catches it. Uncaught, nothing happens: the thrower just continues, no
 * incident. Returns true when the catch interrupted the thrower's scope.
 */
export function throwEscalation(run: Run, from: string, escalationCode: string): boolean {
  let current: string | undefined = from;
  while (current !== undefined && current !== ROOT) {
    const ei = run.instance(current);
    if (!ei) break;
    const catchers = isInner(run, ei) ? [] : run.element(ei.elementId).boundaries.map((id) => run.element(id)).filter((b) => b.trigger?.type === 'escalation');
    const match = catchers.find((b) => b.trigger?.type === 'escalation' && b.trigger.code === escalationCode)
      ?? catchers.find((b) => b.trigger?.type === 'escalation' && b.trigger.code === null);
    if (match) {
      run.emit({ type: 'EscalationThrown', ei: from, escalationCode, caughtBy: match.id });
      triggerBoundary(run, current, match, undefined);
      return match.cancelActivity;
    }
    current = ei.scope;
  }
  run.emit({ type: 'EscalationThrown', ei: from, escalationCode, caughtBy: null });
  return false;
}
