/**
 * What must hold of every instance state, whatever happened before: tokens sit on
 * elements of the definition, everything open hangs off a live element instance,
 * and scopes nest as the model does.
 */
import type { Command } from '../../../lib/core/commands.ts';
import type { Effect } from '../../../lib/core/effects.ts';
import { isEventSubprocess, triggerOf, type ProcessDefinition } from '../../../lib/core/bpmn/model/types.ts';
import type { DomainEvent } from '../../../lib/core/state/events.ts';
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
    // A compensation handler runs in the scope of the event that threw the compensation (lib/core/bpmn/features/compensation.ts):
    // a scope around the compensated activity (its own, or one its completed subprocess was in), or an
    // event subprocess of such a scope (a throw there compensates the scope it runs in).
    const handlerScope = Boolean(el.forCompensation) && scopeElement !== undefined && compensatesFrom(definition, el.parent, scopeElement);
    if (scopeElement !== undefined && el.parent !== scopeElement && !innerOfBody && !handlerScope) {
      problems.push(`element instance '${key}' (${ei.elementId}, parent ${el.parent ?? 'process'}) runs in scope ${scopeElement ?? 'root'}`);
    }
    if (Number(key) > state.seq) problems.push(`element instance key '${key}' is above seq ${state.seq}`);
  }
  const owned: Array<[string, Record<string, { key: string; ei: string }>]> = [
    ['job', state.jobs], ['task', state.tasks], ['timer', state.timers], ['subscription', state.subscriptions], ['incident', state.incidents],
    ['call', state.calls ?? {}],
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
  // A conditional event's listener is owned like a timer: by its catch event, its boundary's activity, or its event subprocess's scope (ROOT included).
  for (const [key, listener] of Object.entries(state.conditions ?? {})) {
    if (listener.key !== key) problems.push(`condition '${key}' has key '${listener.key}'`);
    if (listener.ei !== ROOT && !elements[listener.ei]) problems.push(`condition '${key}' belongs to element instance '${listener.ei}', which does not exist`);
    if (triggerOf(definition.elements[listener.elementId])?.type !== 'conditional') problems.push(`condition '${key}' is for '${listener.elementId}', which is not a conditional event`);
  }
  problems.push(...compensationViolations(definition, state));
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

/** Whether `scopeElement` (null: the process) encloses `parent`, or is an event subprocess of a scope that does. */
function compensatesFrom(definition: ProcessDefinition, parent: string | null, scopeElement: string | null): boolean {
  const scope = scopeElement === null ? undefined : definition.elements[scopeElement];
  const compensated = isEventSubprocess(scope) ? (scope?.parent ?? null) : scopeElement;
  for (let at: string | null = parent; ; at = definition.elements[at]?.parent ?? null) {
    if (at === compensated) return true;
    if (at === null) return false;
  }
}

/**
 * Compensation bookkeeping (lib/core/state/compensation.ts): a record is of a completed
 * element instance, in a scope that is the process, a live element instance or another
 * record; a compensation in progress belongs to a live thrower and waits for live handlers.
 */
function compensationViolations(definition: ProcessDefinition, state: InstanceState): string[] {
  const problems: string[] = [];
  const records = Object.values(state.compensables ?? {});
  const recorded = new Set(records.map((r) => r.ei));
  for (const record of records) {
    if (state.elements[record.ei]) problems.push(`compensable record '${record.key}' is of element instance '${record.ei}', which is still running`);
    if (!definition.elements[record.elementId]) problems.push(`compensable record '${record.key}' is of '${record.elementId}', which is not in the definition`);
    if (record.scope !== ROOT && !state.elements[record.scope] && !recorded.has(record.scope)) problems.push(`compensable record '${record.key}' is in scope '${record.scope}', which is neither live nor recorded`);
  }
  for (const [key, compensation] of Object.entries(state.compensations ?? {})) {
    if (!state.elements[key]) problems.push(`compensation '${key}' waits in a thrower that is not an element instance`);
    for (const handler of compensation.handlers) {
      if (!definition.elements[state.elements[handler]?.elementId ?? '']?.forCompensation) problems.push(`compensation '${key}' waits for '${handler}', which is not a running compensation handler`);
    }
  }
  return problems;
}

/** What an ended (completed or canceled) instance still holds: it should hold nothing. */
export function leftoversAfterEnd(state: InstanceState): string[] {
  if (state.status === 'active') return [];
  const held: Array<[string, Record<string, unknown>]> = [
    ['element instances', state.elements], ['jobs', state.jobs], ['tasks', state.tasks], ['timers', state.timers],
    ['subscriptions', state.subscriptions], ['incidents', state.incidents], ['join arrivals', state.joins],
    ['conditions', state.conditions ?? {}], ['loops', state.loops ?? {}], ['compensable records', state.compensables ?? {}],
    ['compensations', state.compensations ?? {}], ['calls', state.calls ?? {}],
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
        // Call activities run only in calls.test.ts, where the TestEngine delivers these effects.
        case 'child.start': case 'child.cancel': case 'call.completed': case 'call.thrown': break;
        // Business rule tasks with a called decision are not in the random models yet.
        case 'decision.evaluate': break;
        // Dead commands come from the durable runtime's DLQ, never from a random step.
        case 'command.redrive': break;
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

/**
 * Tokens still inside the block of a parallel or inclusive join that fired in this step. In a
 * block-structured model every token between a split and its join can still reach the join,
 * so a join that fires while one is left fires too early (and fires again when it arrives).
 * `joins`: join id -> the flow elements of its block (model-render.ts); `events`: the step's.
 */
export function earlyJoins(joins: Record<string, string[]>, events: DomainEvent[], state: InstanceState): string[] {
  const problems: string[] = [];
  for (const event of events) {
    if (event.type !== 'JoinFired') continue;
    const inside = new Set(joins[event.gatewayId] ?? []);
    const left = Object.values(state.elements).filter((ei) => ei.scope === event.scope && inside.has(ei.elementId));
    if (left.length > 0) problems.push(`join '${event.gatewayId}' fired in scope '${event.scope}' while tokens are still inside its block: ${left.map((ei) => `${ei.elementId} (${ei.key})`).join(', ')}`);
  }
  return problems;
}
