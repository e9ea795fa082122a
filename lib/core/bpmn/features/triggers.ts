/**
 * Something happened to a waiting element instance: a timer fired, a message
 * correlated, an error was thrown. Who receives it depends on what owns the
 * timer/subscription: the catch event itself, an activity's boundary event, or an
 * event-based gateway.
 */
import type { JsonObject } from '../../json.ts';
import { forwardThrown } from './calls.ts';
import { openEventListener } from './listeners.ts';
import { eventSubprocessStarts, isEventSubprocessStart, triggerEventSubprocess } from './event-subprocesses.ts';
import { cycleNext } from '../model/timers.ts';
import { interrupts, triggerOf, type ElementDef } from '../model/types.ts';
import type { Context } from '../context.ts';
import { ROOT, type Subscription, type Timer } from '../../state/types.ts';

/** Delivers a fired timer or correlated message to whoever waits for `eventId` on `ei`. */
function deliver(run: Context, ei: string, eventId: string, variables: JsonObject | undefined): void {
  const event = run.element(eventId);
  if (isEventSubprocessStart(run.definition, event)) return triggerEventSubprocess(run, ei, event, variables);
  const owner = run.instance(ei);
  if (!owner) return;
  if (owner.elementId === eventId) {
    run.acceptVariables(ei, variables);
    run.later(() => run.complete(ei));
  } else if (event.kind === 'boundaryEvent') {
    triggerBoundary(run, ei, event, variables);
  } else {
    // The owner waits on behalf of the event (an event-based gateway): its behaviour decides.
    run.occurred(ei, event, variables);
  }
}

/** Non-interrupting boundary events and event subprocess starts listen again after each trigger. */
function listensAgain(run: Context, event: ElementDef): boolean {
  return !interrupts(event) && (event.kind === 'boundaryEvent' || isEventSubprocessStart(run.definition, event));
}

export function triggerBoundary(run: Context, hostKey: string, boundary: ElementDef, variables: JsonObject | undefined): void {
  const host = run.instance(hostKey);
  if (!host) return;
  if (interrupts(boundary)) run.terminate(hostKey);
  const scope = host.scope;
  run.toward(scope, () => run.activate(boundary.id, scope, { variables: variables ?? {} }));
}

export function fireTimer(run: Context, timer: Timer): void {
  run.emit({ type: 'TimerFired', key: timer.key });
  const event = run.element(timer.elementId);
  const repeats = timer.cycle !== null && (timer.repetitions === null || timer.repetitions > 0);
  if (repeats && listensAgain(run, event) && timer.cycle) {
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

export function correlate(run: Context, sub: Subscription, variables: JsonObject | undefined, messageId: string | null): void {
  run.emit({ type: 'SubscriptionCorrelated', key: sub.key, messageId });
  run.closeSubscription(sub);
  const event = run.element(sub.elementId);
  // A non-interrupting boundary / event subprocess start keeps listening while its activity / scope runs.
  if (listensAgain(run, event)) openEventListener(run, sub.ei, event);
  deliver(run, sub.ei, sub.elementId, variables);
}

type Thrown = { type: 'error'; code: string } | { type: 'escalation'; code: string };

/** The catch event of an error / escalation: a boundary event on `key`, or an event subprocess start in scope `key`. */
interface Catcher {
  key: string;
  event: ElementDef;
}

function codeOf(el: ElementDef, type: Thrown['type']): string | null | undefined {
  const trigger = triggerOf(el);
  if (type === 'error' && trigger?.type === 'error') return trigger.errorCode;
  if (type === 'escalation' && trigger?.type === 'escalation') return trigger.code;
  return undefined;
}

/** The one matching this code, else a catch-all (code null). */
function match(candidates: ElementDef[], thrown: Thrown): ElementDef | undefined {
  const catching = candidates.filter((el) => codeOf(el, thrown.type) !== undefined);
  return catching.find((el) => codeOf(el, thrown.type) === thrown.code) ?? catching.find((el) => codeOf(el, thrown.type) === null);
}

/**
 * From the thrower outwards: at each enclosing subprocess, its event subprocesses first
 * (they are inside it), then its boundary events; at last the process's event subprocesses.
 * A multi-instance body has the boundary events, its inner instances the event subprocesses.
 */
function findCatcher(run: Context, from: string, thrown: Thrown): Catcher | null {
  let current = from;
  while (current !== ROOT) {
    const ei = run.instance(current);
    if (!ei) return null;
    const el = run.element(ei.elementId);
    const body = Boolean(el.loop) && !run.isInner(ei);
    const esp = current !== from && !body ? match(eventSubprocessStarts(run.definition, el.id), thrown) : undefined;
    if (esp) return { key: current, event: esp };
    const boundary = run.isInner(ei) ? undefined : match(el.boundaries.map((id) => run.element(id)), thrown);
    if (boundary) return { key: current, event: boundary };
    current = ei.scope;
  }
  const esp = match(eventSubprocessStarts(run.definition, null), thrown);
  return esp ? { key: ROOT, event: esp } : null;
}

function catchAt(run: Context, catcher: Catcher): void {
  if (catcher.event.kind === 'boundaryEvent') triggerBoundary(run, catcher.key, catcher.event, undefined);
  else triggerEventSubprocess(run, catcher.key, catcher.event, undefined);
}

/**
 * Throws a BPMN error from element instance `from`: the nearest enclosing error event
 * subprocess or error boundary event for this code (or a catch-all) catches it. Uncaught
 * errors become an incident on the thrower. Returns whether it was caught.
 */
export function throwError(run: Context, from: string, errorCode: string, errorMessage: string | null, jobKey: string | null): boolean {
  const catcher = findCatcher(run, from, { type: 'error', code: errorCode });
  run.emit({ type: 'ErrorThrown', ei: from, errorCode, errorMessage, caughtBy: catcher?.event.id ?? null });
  if (catcher) {
    catchAt(run, catcher);
    return true;
  }
  // A child instance hands what it does not catch to its call activity (lib/core/bpmn/features/calls.ts).
  if (forwardThrown(run, 'error', errorCode, errorMessage)) return false;
  const detail = errorMessage ? `: ${errorMessage}` : '';
  run.incident(from, 'unhandledError', `error '${errorCode}' was thrown and no boundary event catches it${detail}`, jobKey ? 'job' : 'error', jobKey);
  return false;
}

/**
 * Throws a BPMN escalation from element instance `from` (Camunda 8 semantics): the
 * nearest enclosing escalation event subprocess, or escalation boundary event of a
 * subprocess, for this code (or a catch-all) catches it. Uncaught, nothing happens:
 * the thrower just continues, no incident. Returns true when the catch interrupted
 * the thrower.
 */
export function throwEscalation(run: Context, from: string, escalationCode: string): boolean {
  const catcher = findCatcher(run, from, { type: 'escalation', code: escalationCode });
  run.emit({ type: 'EscalationThrown', ei: from, escalationCode, caughtBy: catcher?.event.id ?? null });
  if (!catcher) {
    forwardThrown(run, 'escalation', escalationCode, null);
    return false;
  }
  catchAt(run, catcher);
  return interrupts(catcher.event);
}
