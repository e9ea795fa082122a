/**
 * Conditional events: an intermediate catch event, a boundary event or an event
 * subprocess start whose FEEL condition is re-evaluated as variables change (BPMN /
 * Camunda 7 semantics). While one waits, a listener (`state.conditions`) is owned by an
 * element instance like a timer: the catch event, the boundary's activity, or the event
 * subprocess's scope (ROOT included); `run.detach` closes it with its owner.
 *
 *   catch event entered:    condition true -> completes at once; else a listener waits
 *   boundary / ESP opened:  a listener, evaluated when the step's agenda runs dry (its last
 *                           value starts false: a condition already true then triggers)
 *   agenda dry (step.ts):   every listener that is new, was just resolved, or whose scope
 *                           chain got a VariablesSet since the last check is evaluated,
 *                           oldest first:
 *     true  (was false) -> ConditionTriggered; interrupting ones close (ConditionClosed)
 *                          and trigger (complete / interrupt / start the ESP)
 *     false (was true)  -> ConditionReset (a non-interrupting one may trigger again)
 *     FEEL error or not a boolean -> an incident (phase 'condition') on the owner; the
 *                          listener is skipped until the incident is resolved
 *
 * A null result, or a variable not set yet, counts as false (condition-value.ts). Runaway re-triggering is
 * bounded by the step's ACTIVATION_BUDGET.
 */
import { isEventSubprocessStart, triggerEventSubprocess } from './event-subprocesses.ts';
import { interrupts, triggerOf, type ElementDef } from '../model/types.ts';
import type { Context } from '../context.ts';
import type { ConditionListener, Incident } from '../../state/types.ts';
import { evaluateCondition } from './listeners.ts';
import { triggerBoundary } from './triggers.ts';

/** Where each step's last check stopped in `run.events`, and listeners to evaluate whatever changed. */
const cursors = new WeakMap<Context, number>();
const forced = new WeakMap<Context, Set<string>>();

/** A resolved condition incident: evaluate its listener at the next check. */
export function recheckCondition(run: Context, incident: Incident): void {
  const listener = Object.values(run.state.conditions ?? {}).find((c) => c.ei === incident.ei && c.elementId === incident.elementId);
  if (!listener) return;
  const keys = forced.get(run) ?? new Set<string>();
  keys.add(listener.key);
  forced.set(run, keys);
}

/** Scope -> names (first path segment) set since `from`; and listeners opened since then. */
function changesSince(run: Context, from: number): { scopes: Map<string, Set<string>>; opened: Set<string> } {
  const scopes = new Map<string, Set<string>>();
  const opened = new Set<string>(forced.get(run));
  forced.delete(run);
  for (const event of run.events.slice(from)) {
    if (event.type === 'ConditionOpened') opened.add(event.key);
    if (event.type !== 'VariablesSet') continue;
    const names = scopes.get(event.scope) ?? new Set<string>();
    for (const name of Object.keys(event.variables)) names.add(name.split('.')[0] ?? name);
    scopes.set(event.scope, names);
  }
  return { scopes, opened };
}

function sawChange(run: Context, listener: ConditionListener, filter: string[] | null, scopes: Map<string, Set<string>>): boolean {
  return run.chain(listener.ei).some((scope) => {
    const names = scopes.get(scope);
    return names !== undefined && (filter === null || filter.some((name) => names.has(name)));
  });
}

function blocked(run: Context, listener: ConditionListener): boolean {
  return Object.values(run.state.incidents).some((i) => i.phase === 'condition' && i.ei === listener.ei && i.elementId === listener.elementId);
}

function raise(run: Context, listener: ConditionListener, message: string): void {
  const key = run.newKey();
  const { ei, elementId } = listener;
  run.emit({ type: 'IncidentRaised', key, ei, elementId, kind: 'condition', message, phase: 'condition', jobKey: null, at: run.now });
  run.effect({ type: 'incident.raised', incidentId: run.id(key), instanceId: run.state.instanceId, elementId, kind: 'condition', message });
}

/** Non-interrupting boundary events and event subprocess starts keep listening after a trigger. */
function listensAgain(run: Context, event: ElementDef): boolean {
  return !interrupts(event) && (event.kind === 'boundaryEvent' || isEventSubprocessStart(run.definition, event));
}

function trigger(run: Context, listener: ConditionListener, event: ElementDef): void {
  run.emit({ type: 'ConditionTriggered', key: listener.key });
  if (!listensAgain(run, event)) run.emit({ type: 'ConditionClosed', key: listener.key });
  if (isEventSubprocessStart(run.definition, event)) triggerEventSubprocess(run, listener.ei, event, undefined);
  else if (event.kind === 'boundaryEvent') triggerBoundary(run, listener.ei, event, undefined);
  else run.later(() => run.complete(listener.ei));
}

/**
 * The idle hook: evaluates the listeners that may have changed (see the header).
 * Returns true when it changed anything (the step then drains again).
 */
export function checkConditions(run: Context): boolean {
  const from = cursors.get(run) ?? 0;
  cursors.set(run, run.events.length);
  const listeners = Object.values(run.state.conditions ?? {});
  if (listeners.length === 0) return false;
  const { scopes, opened } = changesSince(run, from);
  const before = run.events.length;
  for (const listener of listeners.sort((a, b) => Number(a.key) - Number(b.key))) {
    const current = run.state.conditions?.[listener.key];
    if (!current || blocked(run, current)) continue;
    const event = run.element(current.elementId);
    const conditional = triggerOf(event);
    if (conditional?.type !== 'conditional') continue;
    if (!opened.has(current.key) && !sawChange(run, current, conditional.variableNames, scopes)) continue;
    const result = evaluateCondition(run, current.ei, event.id, conditional.condition);
    if (!result.ok) raise(run, current, result.message);
    else if (result.holds && !current.holds) trigger(run, current, event);
    else if (!result.holds && current.holds) run.emit({ type: 'ConditionReset', key: current.key });
  }
  return run.events.length > before;
}
