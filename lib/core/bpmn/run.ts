/**
 * The working context of one `step`: a private draft of the state, the events and
 * effects produced so far, and an agenda of pending work. Every state change goes
 * through `emit` -> `applyEvent`; nothing else writes the draft.
 */
import type { Clock } from '../clock.ts';
import type { Effect } from '../effects.ts';
import { evaluateFeel, evaluateValue, type FeelResult } from '../expressions/feel.ts';
import type { Json, JsonObject } from '../json.ts';
import type { ElementDef, ProcessDefinition } from './model/types.ts';
import { applyEvent } from '../state/apply.ts';
import { scopeChain, visibleVariables } from '../state/scopes.ts';
import type { DomainEvent } from '../state/events.ts';
import { globalId, ROOT, type ElementInstance, type Incident, type IncidentKind, type InstanceState, type Job, type Subscription, type UserTask } from '../state/types.ts';


/** Element activations one step may perform: far beyond any real transition, short of a hang. */
export const ACTIVATION_BUDGET = 10_000;

const NONE: never[] = [];

/** The entries of `record` that belong to element instance `ei` (allocates only when there are some: detach runs for every element twice). */
function owned<T extends { ei: string }>(record: Record<string, T> | undefined, ei: string): T[] {
  let found: T[] = NONE;
  for (const key in record) {
    const entry = record[key] as T;
    if (entry.ei === ei) (found === NONE ? (found = []) : found).push(entry);
  }
  return found;
}

export class Run {
  readonly events: DomainEvent[] = [];
  readonly effects: Effect[] = [];
  private readonly agenda: Array<() => void> = [];
  /** Scope key -> activations scheduled into it and not run yet. */
  private readonly inFlight = new Map<string, number>();
  /** Scope key -> how often its content was interrupted in this step (see `interrupt`). */
  private readonly epochs = new Map<string, number>();
  private nextSeq: number;
  /** Element activations in this step, bounded by ACTIVATION_BUDGET. */
  activations = 0;

  constructor(
    readonly definition: ProcessDefinition,
    readonly state: InstanceState,
    readonly clock: Clock,
  ) {
    this.nextSeq = state.seq;
  }

  get now(): number {
    return this.clock.now;
  }

  emit(event: DomainEvent): void {
    applyEvent(this.state, event);
    this.events.push(event);
  }

  effect(effect: Effect): void {
    this.effects.push(effect);
  }

  newKey(): string {
    this.nextSeq += 1;
    return String(this.nextSeq);
  }

  id(key: string): string {
    return globalId(this.state.instanceId, key);
  }

  later(work: () => void): void {
    this.agenda.push(work);
  }

  /**
   * Schedules `work` that activates an element in `scope`: a token on its way there. Until
   * it runs the scope is not done (`tokensInFlight`), and when the scope has ended in the
   * meantime (terminated, or the instance finished) the token is dropped with it.
   */
  toward(scope: string, work: () => void): void {
    this.inFlight.set(scope, (this.inFlight.get(scope) ?? 0) + 1);
    const epoch = this.epochs.get(scope) ?? 0;
    this.later(() => {
      const left = (this.inFlight.get(scope) ?? 1) - 1;
      if (left > 0) this.inFlight.set(scope, left);
      else this.inFlight.delete(scope);
      if (this.alive(scope) && (this.epochs.get(scope) ?? 0) === epoch) work();
    });
  }

  /** Everything in `scope` was ended while the scope goes on (an interrupting event subprocess, a terminate end event): tokens on their way into it are dropped. */
  interrupt(scope: string): void {
    this.epochs.set(scope, (this.epochs.get(scope) ?? 0) + 1);
  }

  /** Tokens scheduled (`toward`) into `scope` that have not arrived yet. */
  tokensInFlight(scope: string): boolean {
    return (this.inFlight.get(scope) ?? 0) > 0;
  }

  /** Does `scope` still run: the instance (ROOT) while active, an element instance while it exists. */
  alive(scope: string): boolean {
    return scope === ROOT ? this.state.status === 'active' : Boolean(this.state.elements[scope]);
  }

  /** Runs pending work until none is left; `onIdle` may schedule more (inclusive joins). */
  drain(onIdle: () => boolean): void {
    for (;;) {
      const work = this.agenda.shift();
      if (work) work();
      else if (!onIdle()) return;
    }
  }

  element(id: string): ElementDef {
    const el = this.definition.elements[id];
    if (!el) throw new Error(`element '${id}' is not in definition '${this.definition.key}'`);
    return el;
  }

  instance(key: string): ElementInstance | undefined {
    return this.state.elements[key];
  }

  /** An inner instance of a loop body (its scope is an instance of the same element): see features/loops.ts. */
  isInner(ei: ElementInstance): boolean {
    return ei.scope !== ROOT && this.state.elements[ei.scope]?.elementId === ei.elementId;
  }

  /** The body of a multi-instance activity or standard loop: it carries the boundary events, its inner instances the work. */
  isBody(ei: ElementInstance): boolean {
    return Boolean(this.element(ei.elementId).loop) && !this.isInner(ei);
  }

  /** Scope keys from `key` outwards: [key, its scope, ..., ROOT]. */
  chain(key: string): string[] {
    return scopeChain(this.state, key);
  }

  /** The variables an element instance sees: its own scope over its parents'. */
  visible(key: string): JsonObject {
    return visibleVariables(this.state, key);
  }

  feel(text: string, key: string, extra?: JsonObject): FeelResult {
    const vars = extra ? { ...this.visible(key), ...extra } : this.visible(key);
    return evaluateFeel(text, vars, this.now);
  }

  value(text: string, key: string): FeelResult {
    return evaluateValue(text, this.visible(key), this.now);
  }

  /**
   * A name an element needs (a job type, a decision id, a called process id), evaluated for
   * element instance `key`. When it fails or is not a string `valid` accepts, an activation
   * incident says `<what>: <why>` and the result is null.
   */
  name(text: string, key: string, what: string, valid: (value: string) => boolean, expected: string): string | null {
    const result = this.value(text, key);
    if (result.ok && typeof result.value === 'string' && valid(result.value)) return result.value;
    this.incident(key, 'expression', `${what}: ${result.ok ? `must be ${expected}, got ${JSON.stringify(result.value)}` : result.message}`, 'activate');
    return null;
  }

  setLocal(scope: string, variables: JsonObject): void {
    if (Object.keys(variables).length > 0) this.emit({ type: 'VariablesSet', scope, variables });
  }

  /**
   * Zeebe's propagation: each variable goes to the nearest scope (from `from`
   * outwards) that already has it, or to the root scope when none has.
   */
  propagate(from: string, variables: JsonObject): void {
    const chain = this.chain(from);
    const byScope = new Map<string, JsonObject>();
    for (const [name, value] of Object.entries(variables)) {
      const head = name.split('.')[0] ?? name;
      const scope = chain.find((s) => this.state.vars[s] && Object.hasOwn(this.state.vars[s] as JsonObject, head)) ?? ROOT;
      const group = byScope.get(scope) ?? {};
      group[name] = value as Json;
      byScope.set(scope, group);
    }
    for (const [scope, group] of byScope) this.emit({ type: 'VariablesSet', scope, variables: group });
  }

  incident(ei: string, kind: IncidentKind, message: string, phase: Incident['phase'], jobKey: string | null = null): void {
    const key = this.newKey();
    const elementId = this.state.elements[ei]?.elementId ?? '';
    this.emit({ type: 'IncidentRaised', key, ei, elementId, kind, message, phase, jobKey, at: this.now });
    this.effect({ type: 'incident.raised', incidentId: this.id(key), instanceId: this.state.instanceId, elementId, kind, message });
  }

  closeJob(job: Job, reason: 'completed' | 'canceled' | 'failed'): void {
    this.effect({ type: 'job.closed', jobId: this.id(job.key), instanceId: this.state.instanceId, jobType: job.jobType, reason });
  }

  closeTask(task: UserTask, reason: 'completed' | 'canceled'): void {
    const { assignee, candidateGroups, candidateUsers } = task;
    this.effect({ type: 'task.closed', taskId: this.id(task.key), instanceId: this.state.instanceId, assignee, candidateGroups, candidateUsers, reason });
  }

  closeSubscription(sub: Subscription): void {
    const { messageName, correlationKey } = sub;
    this.effect({ type: 'subscription.closed', subscriptionId: this.id(sub.key), instanceId: this.state.instanceId, messageName, correlationKey });
  }

  /** Closes everything attached to an element instance: jobs, tasks, timers, subscriptions, conditions, incidents. */
  detach(ei: string): void {
    const instanceId = this.state.instanceId;
    for (const job of owned(this.state.jobs, ei)) {
      this.emit({ type: 'JobCanceled', key: job.key });
      this.closeJob(job, 'canceled');
    }
    for (const task of owned(this.state.tasks, ei)) {
      this.emit({ type: 'TaskCanceled', key: task.key });
      this.closeTask(task, 'canceled');
    }
    for (const timer of owned(this.state.timers, ei)) {
      this.emit({ type: 'TimerCanceled', key: timer.key });
      this.effect({ type: 'timer.canceled', timerId: this.id(timer.key), instanceId, dueAt: timer.dueAt });
    }
    for (const sub of owned(this.state.subscriptions, ei)) {
      this.emit({ type: 'SubscriptionClosed', key: sub.key });
      this.closeSubscription(sub);
    }
    for (const listener of owned(this.state.conditions, ei)) this.emit({ type: 'ConditionClosed', key: listener.key });
    for (const incident of owned(this.state.incidents, ei)) {
      this.emit({ type: 'IncidentResolved', key: incident.key });
      this.effect({ type: 'incident.resolved', incidentId: this.id(incident.key), instanceId });
    }
    // A call activity that ends other than by its child's completion cancels the child (features/calls.ts).
    for (const call of owned(this.state.calls, ei)) {
      this.emit({ type: 'CallEnded', key: call.key, outcome: 'canceled' });
      this.effect({ type: 'child.cancel', parentInstanceId: instanceId, callId: this.id(call.ei), childInstanceId: call.childInstanceId });
    }
  }
}
