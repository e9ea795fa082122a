/**
 * What must hold of every instance state, whatever happened before: tokens sit on
 * elements of the definition, everything open hangs off a live element instance,
 * and scopes nest as the model does.
 */
import type { Command } from '../../../lib/core/commands.ts';
import type { Effect } from '../../../lib/core/effects.ts';
import type { ProcessDefinition } from '../../../lib/core/model/types.ts';
import { globalId, ROOT, type InstanceState } from '../../../lib/core/state/types.ts';

/** Every broken invariant, as a sentence naming the offending record (empty when sound). */
export function invariantViolations(definition: ProcessDefinition, state: InstanceState): string[] {
  const problems: string[] = [];
  const elements = state.elements;
  for (const [key, ei] of Object.entries(elements)) {
    const el = definition.elements[ei.elementId];
    if (ei.key !== key) problems.push(`element instance '${key}' has key '${ei.key}'`);
    if (!el) {
      problems.push(`element instance '${key}' is on '${ei.elementId}', which is not in the definition`);
      continue;
    }
    if (ei.scope !== ROOT && !elements[ei.scope]) problems.push(`element instance '${key}' (${ei.elementId}) is in scope '${ei.scope}', which is not an element instance`);
    const scopeElement = ei.scope === ROOT ? null : (elements[ei.scope]?.elementId ?? undefined);
    // An inner instance of a multi-instance activity runs in the scope of its body, an instance of the same element.
    const innerOfBody = Boolean(el.loop) && scopeElement === ei.elementId;
    // A compensation handler runs in the scope of the event that threw the compensation (lib/core/compensation.ts).
    if (scopeElement !== undefined && el.parent !== scopeElement && !innerOfBody && !el.forCompensation) {
      problems.push(`element instance '${key}' (${ei.elementId}, parent ${el.parent ?? 'process'}) runs in scope ${scopeElement ?? 'root'}`);
    }
    if (Number(key) > state.seq) problems.push(`element instance key '${key}' is above seq ${state.seq}`);
  }
  const owned: Array<[string, Record<string, { key: string; ei: string }>]> = [
    ['job', state.jobs], ['task', state.tasks], ['timer', state.timers], ['subscription', state.subscriptions], ['incident', state.incidents],
  ];
  for (const [what, records] of owned) {
    for (const [key, record] of Object.entries(records)) {
      if (record.key !== key) problems.push(`${what} '${key}' has key '${record.key}'`);
      // The process itself (ROOT) owns the timers and subscriptions of its event subprocesses.
      const ownedByProcess = record.ei === ROOT && (what === 'timer' || what === 'subscription');
      if (!elements[record.ei] && !ownedByProcess) problems.push(`${what} '${key}' belongs to element instance '${record.ei}', which does not exist`);
      if (Number(key) > state.seq) problems.push(`${what} key '${key}' is above seq ${state.seq}`);
    }
  }
  for (const timer of Object.values(state.timers)) {
    if (!definition.elements[timer.elementId]) problems.push(`timer '${timer.key}' fires '${timer.elementId}', which is not in the definition`);
  }
  for (const sub of Object.values(state.subscriptions)) {
    if (!definition.elements[sub.elementId]) problems.push(`subscription '${sub.key}' is for '${sub.elementId}', which is not in the definition`);
  }
  for (const [key, loop] of Object.entries(state.loops ?? {})) {
    if (!elements[key]) problems.push(`multi-instance loop '${key}' belongs to no element instance`);
    for (const inner of Object.keys(loop.inner)) if (elements[inner]?.scope !== key) problems.push(`multi-instance loop '${key}' counts inner instance '${inner}', which is not in it`);
  }
  for (const scope of Object.keys(state.vars)) {
    if (scope !== ROOT && !elements[scope]) problems.push(`variables are kept for scope '${scope}', which is not an element instance`);
  }
  for (const id of Object.keys(state.joins)) {
    const scope = id.slice(0, id.lastIndexOf('/'));
    if (scope !== ROOT && !elements[scope]) problems.push(`join arrivals '${id}' are in scope '${scope}', which is not an element instance`);
  }
  return problems;
}

/** What an ended (completed or canceled) instance still holds: it should hold nothing. */
export function leftoversAfterEnd(state: InstanceState): string[] {
  if (state.status === 'active') return [];
  const held: Array<[string, Record<string, unknown>]> = [
    ['element instances', state.elements], ['jobs', state.jobs], ['tasks', state.tasks], ['timers', state.timers],
    ['subscriptions', state.subscriptions], ['incidents', state.incidents], ['join arrivals', state.joins],
  ];
  return held.filter(([, records]) => Object.keys(records).length > 0)
    .map(([what, records]) => `the instance is ${state.status} but still holds ${what}: ${JSON.stringify(records)}`);
}

/**
 * What the outside world has been told is open, folded from the effects of every
 * accepted step (the adapters act on effects only, never on the state).
 */
export class Announced {
  readonly jobs = new Set<string>();
  readonly tasks = new Set<string>();
  readonly timers = new Set<string>();
  readonly subscriptions = new Set<string>();
  readonly incidents = new Set<string>();
  ended = false;

  apply(effects: Effect[], command: Command): void {
    // A timer fired by command is gone without an effect: the runtime fired it itself.
    if (command.type === 'fireTimer') this.timers.delete(command.timerId);
    for (const e of effects) {
      switch (e.type) {
        case 'job.activatable': this.jobs.add(e.jobId); break;
        case 'job.closed': this.jobs.delete(e.jobId); break;
        case 'task.created': this.tasks.add(e.taskId); break;
        case 'task.closed': this.tasks.delete(e.taskId); break;
        case 'timer.scheduled': this.timers.add(e.timerId); break;
        case 'timer.canceled': this.timers.delete(e.timerId); break;
        case 'subscription.opened': this.subscriptions.add(e.subscriptionId); break;
        case 'subscription.closed': this.subscriptions.delete(e.subscriptionId); break;
        case 'incident.raised': this.incidents.add(e.incidentId); break;
        case 'incident.resolved': this.incidents.delete(e.incidentId); break;
        case 'instance.ended': this.ended = true; break;
        case 'message.publish': break;
        case 'signal.broadcast': break;
        // Call activities are not in the random models yet.
        case 'child.start': case 'child.cancel': case 'call.completed': case 'call.thrown': break;
        // Business rule tasks with a called decision are not in the random models yet.
        case 'decision.evaluate': break;
        default: {
          const unknown: never = e;
          throw new Error(`unknown effect ${JSON.stringify(unknown)}`);
        }
      }
    }
  }

  /** Differences between what was announced and what the state holds (jobs: those with retries left). */
  differences(state: InstanceState): string[] {
    const id = (key: string): string => globalId(state.instanceId, key);
    const expected: Array<[string, Set<string>, string[]]> = [
      ['jobs (activatable)', this.jobs, Object.values(state.jobs).filter((j) => j.retries > 0).map((j) => id(j.key))],
      ['tasks', this.tasks, Object.keys(state.tasks).map(id)],
      ['timers', this.timers, Object.keys(state.timers).map(id)],
      ['subscriptions', this.subscriptions, Object.keys(state.subscriptions).map(id)],
      ['incidents', this.incidents, Object.keys(state.incidents).map(id)],
    ];
    const out: string[] = [];
    for (const [what, announced, actual] of expected) {
      const open = new Set(actual);
      const stale = [...announced].filter((x) => !open.has(x)).sort();
      const unannounced = [...open].filter((x) => !announced.has(x)).sort();
      if (stale.length > 0) out.push(`${what} announced open but not open in the state: ${stale.join(', ')}`);
      if (unannounced.length > 0) out.push(`${what} open in the state but never announced: ${unannounced.join(', ')}`);
    }
    if (this.ended !== (state.status !== 'active')) out.push(`instance.ended announced: ${this.ended}, status: ${state.status}`);
    return out;
  }
}
