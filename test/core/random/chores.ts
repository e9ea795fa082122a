/**
 * Driving an instance to its end, as a diligent operator would (commands.ts drives it
 * at random): what is still open, and the next command that does some of it.
 */
import type { JsonObject } from '../../../lib/core/json.ts';
import type { InstanceState } from '../../../lib/core/state/types.ts';
import { globalId } from '../../../lib/core/state/types.ts';
import { byKey, type Concrete } from './commands.ts';
import { SATISFYING_X } from './model-generator.ts';

/**
 * Anything the outside world can still act on: a conditional event waits for a variable to
 * be set, a call activity for its child instance (acted on in its turn).
 */
export function somethingOpen(state: InstanceState): boolean {
  return [state.jobs, state.tasks, state.timers, state.subscriptions, state.incidents, state.conditions ?? {}, state.calls ?? {}].some((r) => Object.keys(r).length > 0);
}

/**
 * Whether `chore` only correlates a boundary event or event subprocess start: what an
 * instance offers when nothing else is left (a non-interrupting one never ends the work).
 */
export function isLastResort(state: InstanceState, chore: Concrete): boolean {
  const { command } = chore;
  if (command.type !== 'correlateMessage') return false;
  const sub = Object.values(state.subscriptions).find((s) => globalId(state.instanceId, s.key) === command.subscriptionId);
  return Boolean(sub) && state.elements[sub?.ei ?? '']?.elementId !== sub?.elementId;
}

/** Variables under which every generated condition and correlation key evaluates. */
export const REPAIR_VARIABLES: JsonObject = { x: 1, key: 'k1' };

/**
 * The next command that does whatever is open, as a diligent operator would:
 * resolve incidents (after repairing the variables), complete jobs and tasks (compensation
 * handlers' too), correlate messages and signals, set `x` for a waiting conditional catch
 * event, and lastly let the clock run to the next timer.
 */
export function nextChore(state: InstanceState, now: number): Concrete | null {
  const gid = (key: string): string => globalId(state.instanceId, key);
  const incident = byKey(state.incidents)[0];
  if (incident) {
    const vars = state.vars['root'] ?? {};
    const repaired = Object.entries(REPAIR_VARIABLES).every(([k, v]) => vars[k] === v);
    if (!repaired) return { command: { type: 'setVariables', variables: REPAIR_VARIABLES }, now, expect: 'accept' };
    return { command: { type: 'resolveIncident', incidentId: gid(incident.key) }, now, expect: 'accept' };
  }
  const job = byKey(state.jobs)[0];
  if (job) return { command: { type: 'completeJob', jobId: gid(job.key) }, now, expect: 'accept' };
  const task = byKey(state.tasks)[0];
  if (task) return { command: { type: 'completeTask', taskId: gid(task.key) }, now, expect: 'accept' };
  // Messages the flow waits for first; boundary messages (a non-interrupting one keeps
  // listening, so correlating it never ends the work) only when nothing else is left.
  const isBoundary = (s: InstanceState['subscriptions'][string]) => state.elements[s.ei]?.elementId !== s.elementId;
  // One subscription at a time, signals too (`signal:<name>`, key ''): a broadcast would also start a
  // non-interrupting signal event subprocess again, which may wait for that same signal, without end.
  const correlate = (sub: InstanceState['subscriptions'][string]): Concrete => ({ command: { type: 'correlateMessage', name: sub.messageName, correlationKey: sub.correlationKey, subscriptionId: gid(sub.key) }, now, expect: 'accept' });
  const sub = byKey(state.subscriptions).filter((s) => !isBoundary(s))[0];
  if (sub) return correlate(sub);
  // A conditional catch event waits for `x > n`: set x so that every generated condition holds.
  const waitsForCondition = Object.values(state.conditions ?? {}).some((c) => state.elements[c.ei]?.elementId === c.elementId);
  if (waitsForCondition && state.vars['root']?.['x'] !== SATISFYING_X) return { command: { type: 'setVariables', variables: { x: SATISFYING_X } }, now, expect: 'accept' };
  const timer = byKey(state.timers).sort((a, b) => a.dueAt - b.dueAt)[0];
  if (timer) return { command: { type: 'fireTimer', timerId: gid(timer.key) }, now: Math.max(now, timer.dueAt), expect: 'accept' };
  const boundarySub = byKey(state.subscriptions)[0];
  return boundarySub ? correlate(boundarySub) : null;
}
