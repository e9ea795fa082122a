/**
 * The state of one process instance: plain JSON, small, changed only by `applyEvent`.
 *
 * Inside the state everything is keyed by a short local key (a counter of this
 * instance, as a string). Outside, ids are global: `<instanceId>.<key>` (a job id,
 * a task id, a timer id), so a command names its instance without a lookup.
 */
import type { Json, JsonObject } from '../json.ts';

export const INSTANCE_STATUSES = ['active', 'completed', 'canceled'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

/** The root scope of variables: the process instance itself. */
export const ROOT = 'root';

export interface ElementInstance {
  key: string;
  elementId: string;
  /** Key of the enclosing scope (a subprocess element instance) or ROOT. */
  scope: string;
}

export interface Job {
  key: string;
  /** The element instance that waits for it. */
  ei: string;
  jobType: string;
  retries: number;
  /** Epoch ms before which workers should not take it (after a failure with backoff). */
  retryAt: number | null;
  errorMessage: string | null;
}

export interface UserTask {
  key: string;
  ei: string;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
}

export interface Timer {
  key: string;
  /** The element instance the timer belongs to (catch event, activity with boundary, event gateway). */
  ei: string;
  /** The event element that fires (the catch event or boundary event). */
  elementId: string;
  dueAt: number;
  /** Remaining repetitions of a cycle after this fire (null: unbounded / not a cycle). */
  repetitions: number | null;
  cycle: string | null;
}

export interface Subscription {
  key: string;
  ei: string;
  elementId: string;
  messageName: string;
  correlationKey: string;
}

/**
 * The bookkeeping of one multi-instance body (keyed by the body's element instance key).
 * Its inner instances are element instances of the same element whose scope is the body.
 * Outputs are kept here one entry per finished inner instance (one small event each) and
 * assembled into the output collection only when the body completes: a fan-out over
 * 1,000 items never rewrites a 1,000-item list per completion.
 */
export interface Loop {
  key: string;
  /** Items in the input collection. */
  total: number;
  /** Inner instances activated so far (the next item's index, for a sequential loop). */
  started: number;
  completed: number;
  /** Inner instance key -> its item's index (0-based). */
  inner: Record<string, number>;
  /** Item index -> the inner instance's output element (only with an output collection). */
  outputs: Record<string, Json>;
}

/**
 * An open conditional event (catch, boundary or event subprocess start), owned like a
 * timer by an element instance (`ei`: the catch event, the boundary's activity, or the
 * event subprocess's scope, ROOT included). `holds`: the condition's last value, so a
 * non-interrupting one triggers only on a false -> true change (see lib/core/bpmn/features/conditions.ts).
 */
export interface ConditionListener {
  key: string;
  ei: string;
  elementId: string;
  holds: boolean;
}

/** A child process instance started by a call activity (keyed by its own local key, like a job). */
export interface Call {
  key: string;
  /** The call activity's element instance that waits for the child. */
  ei: string;
  childInstanceId: string;
  processId: string;
}

/** The call activity that started this instance: its parent instance and the call activity's global element instance id. */
/**
 * A business rule task waiting for its DMN decision (`decision.evaluate` effect, answered
 * by `completeDecision` / `failDecision` naming `key` as the request id).
 */
export interface DecisionRequest {
  key: string;
  ei: string;
  /** The decision id, evaluated when the model gives it as FEEL. */
  decisionId: string;
  bindingType: 'latest' | 'versionTag';
  versionTag: string | null;
}

export interface ParentLink {
  instanceId: string;
  callId: string;
}

export const INCIDENT_KINDS = ['job', 'expression', 'condition', 'unhandledError', 'io', 'calledElement', 'decision', 'command'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export interface Incident {
  key: string;
  /** The element instance that is stuck. */
  ei: string;
  elementId: string;
  kind: IncidentKind;
  message: string;
  /** What resolving retries: activation, completion, the job, the thrown error, or a conditional event's condition. */
  phase: 'activate' | 'complete' | 'job' | 'error' | 'condition' | 'command';
  jobKey: string | null;
  /** For a `command` incident: the id of the command that failed for good (redriven on resolve). */
  commandId?: string;
  at: number;
}

export interface InstanceState {
  instanceId: string;
  definitionKey: string;
  definitionHash: string;
  businessKey: string | null;
  status: InstanceStatus;
  startedAt: number;
  endedAt: number | null;
  /** The last local key handed out. */
  seq: number;
  /** Variables per scope: ROOT, or the key of the element instance that owns them. */
  vars: Record<string, JsonObject>;
  elements: Record<string, ElementInstance>;
  /** Arrivals at joins: `<scope>/<gatewayId>` -> flow id -> tokens waiting. */
  joins: Record<string, Record<string, number>>;
  jobs: Record<string, Job>;
  tasks: Record<string, UserTask>;
  timers: Record<string, Timer>;
  subscriptions: Record<string, Subscription>;
  incidents: Record<string, Incident>;
  /** Multi-instance bodies in progress (absent in states written before multi-instance existed). */
  loops?: Record<string, Loop>;
  /** Open conditional events (absent in states written before conditional events existed). */
  conditions?: Record<string, ConditionListener>;
  /** Child instances of waiting call activities (absent in states written before call activities existed). */
  calls?: Record<string, Call>;
  /** Set on a child instance: the call activity waiting for it. */
  parent?: ParentLink | null;
  /** Completed activities that can still be compensated (absent in states written before compensation existed). */
  compensables?: Record<string, Compensable>;
  /** Compensation throw events (and transaction cancels) waiting for their handlers, keyed by the thrower. */
  compensations?: Record<string, Compensation>;
  /** Decision evaluations requested and not answered yet (absent in states written before DMN support). */
  decisions?: Record<string, DecisionRequest>;
  /** Ids of the last commands that are not idempotent by nature (message correlations, variable updates). */
  recentCommands: string[];
}

/**
 * A completed element instance that compensation can still reach (see `lib/core/bpmn/features/compensation.ts`).
 * Keyed by a fresh local key, so key order is completion order. A completed subprocess (or
 * multi-instance body) with compensable records inside gets one too, with `handler: false`
 * unless it has a handler of its own: records whose `scope` is its `ei` are inside it.
 */
export interface Compensable {
  key: string;
  /** The completed element instance (no longer in `elements`). */
  ei: string;
  elementId: string;
  /** The scope it completed in: ROOT, a live element instance, or the `ei` of another record. */
  scope: string;
  /** Whether compensating it runs the element's compensation handler. */
  handler: boolean;
  /** Its local variables at completion (the handler starts with them), or null. */
  variables: JsonObject | null;
}

/** A compensation in progress: its thrower waits until `handlers` (element instance keys) are done. */
export interface Compensation {
  key: string;
  handlers: string[];
}

/** How many command ids `recentCommands` keeps. */
export const RECENT_COMMANDS = 32;

export function globalId(instanceId: string, key: string): string {
  return `${instanceId}.${key}`;
}

/** `<instanceId>.<key>` -> its parts, or null when it is not such an id. */
export function splitGlobalId(id: string): { instanceId: string; key: string } | null {
  const dot = id.lastIndexOf('.');
  if (dot <= 0 || dot === id.length - 1) return null;
  const key = id.slice(dot + 1);
  return /^\d+$/.test(key) ? { instanceId: id.slice(0, dot), key } : null;
}
