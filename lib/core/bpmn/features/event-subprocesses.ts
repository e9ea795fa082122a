/**
 * Event subprocesses (`triggeredByEvent`): while their enclosing scope (the process,
 * ROOT, or a subprocess instance) runs, the scope owns a listener per event
 * subprocess start event (message, timer, signal); errors and escalations thrown
 * inside the scope are matched in `triggers.ts`. A trigger starts the event
 * subprocess in that scope:
 *
 *   interrupting:     terminate everything in the scope, close its other event
 *                     subprocess listeners, then activate the event subprocess
 *   non-interrupting: activate the event subprocess next to what runs (the listener
 *                     is opened again by whoever delivered the trigger)
 *
 * The scope completes once nothing runs in it, event subprocess instances included.
 */
import type { JsonObject } from '../../json.ts';
import { openEventListener } from './listeners.ts';
import { interrupts, isEventSubprocess, type ElementDef, type ProcessDefinition } from '../model/types.ts';
import type { Context } from '../context.ts';
import { ROOT } from '../../state/types.ts';

/** True for the start event of an event subprocess. */
export function isEventSubprocessStart(definition: ProcessDefinition, el: ElementDef): boolean {
  return el.kind === 'startEvent' && el.parent !== null && isEventSubprocess(definition.elements[el.parent]);
}

/** Start events of the event subprocesses directly inside `scopeElementId` (null: the process). */
export function eventSubprocessStarts(definition: ProcessDefinition, scopeElementId: string | null): ElementDef[] {
  const starts: ElementDef[] = [];
  for (const el of Object.values(definition.elements)) {
    if (el.kind !== 'subProcess' || !el.triggeredByEvent || el.parent !== scopeElementId) continue;
    const start = definition.elements[el.start];
    if (start) starts.push(start);
  }
  return starts;
}

/** Opens the listeners of the scope's event subprocesses; a problem message instead of throwing. */
export function openEventSubprocesses(run: Context, scopeKey: string, scopeElementId: string | null): string | null {
  for (const start of eventSubprocessStarts(run.definition, scopeElementId)) {
    const problem = openEventListener(run, scopeKey, start);
    if (problem) return `event subprocess '${start.parent}': ${problem}`;
  }
  return null;
}

/** Closes the scope's event subprocess listeners, and only those (boundary events of a subprocess stay). */
function closeListeners(run: Context, scopeKey: string): void {
  const isStart = (elementId: string): boolean => isEventSubprocessStart(run.definition, run.element(elementId));
  for (const timer of Object.values(run.state.timers).filter((t) => t.ei === scopeKey && isStart(t.elementId))) {
    run.emit({ type: 'TimerCanceled', key: timer.key });
    run.effect({ type: 'timer.canceled', timerId: run.id(timer.key), instanceId: run.state.instanceId, dueAt: timer.dueAt });
  }
  for (const sub of Object.values(run.state.subscriptions).filter((s) => s.ei === scopeKey && isStart(s.elementId))) {
    run.emit({ type: 'SubscriptionClosed', key: sub.key });
    run.closeSubscription(sub);
  }
  for (const listener of Object.values(run.state.conditions ?? {}).filter((c) => c.ei === scopeKey && isStart(c.elementId))) {
    run.emit({ type: 'ConditionClosed', key: listener.key });
  }
}

/** Starts the event subprocess of `start` in scope `scopeKey` (ROOT or a subprocess instance). */
export function triggerEventSubprocess(run: Context, scopeKey: string, start: ElementDef, variables: JsonObject | undefined): void {
  if (scopeKey !== ROOT && !run.instance(scopeKey)) return;
  if (run.state.status !== 'active' || !start.parent) return;
  const esp = start.parent;
  if (interrupts(start)) {
    run.clearScope(scopeKey);
    closeListeners(run, scopeKey);
  }
  run.toward(scopeKey, () => run.activate(esp, scopeKey, { variables: variables ?? {} }));
}
