/**
 * Random command sequences for `step`, as Zeebe's random-process tests drive its engine.
 *
 * fast-check generates abstract *actions* ("complete the pick-th open job with these
 * variables"); `toCommand` turns each into a concrete command against the state at that
 * moment. An action whose target does not exist (no open job) becomes a stale command,
 * which must be rejected. Stale and nonsense actions (unknown ids, closed ids, another
 * instance's ids, malformed payloads) are generated on purpose too.
 *
 * The scenario runner records every step (command, clock, input state, result), so the
 * properties compare runs and the counterexample prints the concrete commands.
 */
import fc from 'fast-check';
import type { Command } from '../../../lib/core/commands.ts';
import type { Json, JsonObject } from '../../../lib/core/json.ts';
import { triggerOf, type ProcessDefinition } from '../../../lib/core/bpmn/model/types.ts';
import type { DomainEvent } from '../../../lib/core/state/events.ts';
import type { InstanceState } from '../../../lib/core/state/types.ts';
import { step, type StepResult } from '../../../lib/core/step.ts';
import { ERROR_CODES, SIGNALS } from './model-generator.ts';

export const INSTANCE_ID = 'pi';
export const T0 = Date.UTC(2026, 0, 1);

// ---------------------------------------------------------------------------------
// Actions

export const STALE_KINDS = [
  'unknownJob', 'closedJob', 'foreignJob', 'closedTask', 'closedTimer', 'timerNotDue', 'closedIncident',
  'unknownMessage', 'badVariables', 'noErrorCode', 'badRetries', 'startAgain', 'unknownCommand',
  'unknownSignal', 'badSignalVariables',
] as const;
export type StaleKind = (typeof STALE_KINDS)[number];

export type Action =
  | { type: 'completeJob'; pick: number; variables: JsonObject }
  | { type: 'failJob'; pick: number; retries: number }
  /** `caught`: throw the code of an error boundary that catches it, when the job has one. */
  | { type: 'throwError'; pick: number; errorCode: string; caught: boolean }
  | { type: 'completeTask'; pick: number; variables: JsonObject }
  | { type: 'correlate'; pick: number; variables: JsonObject; bySubscriptionId: boolean }
  /**
   * `waiting`: the name of an open signal subscription (picked); else a signal name of the
   * models, which is rejected when nothing waits for it at that moment.
   */
  | { type: 'broadcastSignal'; pick: number; variables: JsonObject; waiting: boolean }
  | { type: 'fireNextTimer' }
  /** Moves the clock on, then fires one of the timers due by then (not necessarily the earliest). */
  | { type: 'fireDueTimer'; pick: number; advanceMinutes: number }
  | { type: 'resolveIncident'; pick: number }
  | { type: 'setVariables'; variables: JsonObject }
  | { type: 'cancel' }
  | { type: 'stale'; kind: StaleKind; pick: number };

/** Small variable values, including the wrong types for `x` (conditions) and `key` (correlation). */
const valueArb: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: fc.integer({ min: -1, max: 3 }), weight: 4 },
  { arbitrary: fc.constantFrom('k1', 'k2', 'text'), weight: 2 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.tuple(fc.nat(3), fc.constantFrom('a', 'b')).map(([n, t]): Json => ({ nested: [n, t] })), weight: 1 },
);

export const variablesArb: fc.Arbitrary<JsonObject> = fc.dictionary(fc.constantFrom('x', 'y', 'key', 'r', 'order.total'), valueArb, { maxKeys: 2 });

const pick = fc.nat({ max: 7 });

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ type: fc.constant('completeJob' as const), pick, variables: variablesArb }), weight: 16 },
  { arbitrary: fc.record({ type: fc.constant('failJob' as const), pick, retries: fc.integer({ min: 0, max: 2 }) }), weight: 4 },
  { arbitrary: fc.record({ type: fc.constant('throwError' as const), pick, errorCode: fc.constantFrom(...ERROR_CODES, 'UNKNOWN'), caught: fc.boolean() }), weight: 8 },
  { arbitrary: fc.record({ type: fc.constant('completeTask' as const), pick, variables: variablesArb }), weight: 8 },
  { arbitrary: fc.record({ type: fc.constant('correlate' as const), pick, variables: variablesArb, bySubscriptionId: fc.boolean() }), weight: 8 },
  { arbitrary: fc.record({ type: fc.constant('broadcastSignal' as const), pick, variables: variablesArb, waiting: fc.boolean() }), weight: 6 },
  { arbitrary: fc.constant({ type: 'fireNextTimer' as const }), weight: 6 },
  { arbitrary: fc.record({ type: fc.constant('fireDueTimer' as const), pick, advanceMinutes: fc.constantFrom(0, 1, 5, 10) }), weight: 4 },
  { arbitrary: fc.record({ type: fc.constant('resolveIncident' as const), pick }), weight: 6 },
  { arbitrary: fc.record({ type: fc.constant('setVariables' as const), variables: variablesArb }), weight: 4 },
  { arbitrary: fc.constant({ type: 'cancel' as const }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('stale' as const), kind: fc.constantFrom(...STALE_KINDS), pick }), weight: 6 },
);

export const actionsArb = fc.array(actionArb, { maxLength: 30, size: 'medium' });

/** The start variables: `key` for correlation, `x` for conditions. */
export const startArb = fc.record({ key: fc.constant('k1'), x: fc.integer({ min: 0, max: 3 }) });

// ---------------------------------------------------------------------------------
// Interpreting actions against the current state

/** Ids closed so far (from the events): what stale commands point at. */
export interface Closed {
  jobs: string[];
  tasks: string[];
  timers: string[];
  incidents: string[];
}

export function emptyClosed(): Closed {
  return { jobs: [], tasks: [], timers: [], incidents: [] };
}

export function recordClosed(closed: Closed, events: DomainEvent[]): void {
  for (const e of events) {
    if (e.type === 'JobCompleted' || e.type === 'JobCanceled') closed.jobs.push(e.key);
    if (e.type === 'TaskCompleted' || e.type === 'TaskCanceled') closed.tasks.push(e.key);
    if (e.type === 'TimerFired' || e.type === 'TimerCanceled') closed.timers.push(e.key);
    if (e.type === 'IncidentResolved') closed.incidents.push(e.key);
  }
}

/** What the command must do: be accepted, be rejected, or either (a judgement the engine makes). */
export type Expectation = 'accept' | 'reject' | 'either';

export interface Concrete {
  command: Command;
  /** The clock for this step (moved forward to fire the next timer). */
  now: number;
  expect: Expectation;
}

export const byKey = <T extends { key: string }>(records: Record<string, T>): T[] => Object.values(records).sort((a, b) => Number(a.key) - Number(b.key));
const choose = <T>(list: T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);
const gid = (key: string): string => `${INSTANCE_ID}.${key}`;

/** A key no object of this instance has ever had. */
const unknownKey = (state: InstanceState): string => String(state.seq + 1000);

function staleCommand(kind: StaleKind, n: number, state: InstanceState, closed: Closed, now: number): Concrete {
  const reject = (command: Command, at = now): Concrete => ({ command, now: at, expect: 'reject' });
  const openJob = choose(byKey(state.jobs), n);
  switch (kind) {
    case 'unknownJob':
      return reject({ type: 'completeJob', jobId: gid(unknownKey(state)) });
    case 'closedJob':
      return reject({ type: 'completeJob', jobId: gid(choose(closed.jobs, n) ?? unknownKey(state)), variables: { x: 1 } });
    case 'foreignJob':
      return reject({ type: 'completeJob', jobId: `other.${openJob?.key ?? '1'}` });
    case 'closedTask':
      return reject({ type: 'completeTask', taskId: gid(choose(closed.tasks, n) ?? unknownKey(state)) });
    case 'closedTimer':
      return reject({ type: 'fireTimer', timerId: gid(choose(closed.timers, n) ?? unknownKey(state)) });
    case 'timerNotDue': {
      const timer = choose(byKey(state.timers).filter((t) => t.dueAt > now), n);
      return reject({ type: 'fireTimer', timerId: gid(timer?.key ?? unknownKey(state)) });
    }
    case 'closedIncident':
      return reject({ type: 'resolveIncident', incidentId: gid(choose(closed.incidents, n) ?? unknownKey(state)) });
    case 'unknownMessage':
      return reject({ type: 'correlateMessage', name: 'never-subscribed', correlationKey: 'k1' });
    case 'badVariables':
      return reject({ type: 'setVariables', variables: [1, 2] as unknown as JsonObject });
    case 'noErrorCode':
      return reject({ type: 'throwError', jobId: gid(openJob?.key ?? unknownKey(state)), errorCode: '' });
    case 'badRetries':
      return reject({ type: 'failJob', jobId: gid(openJob?.key ?? unknownKey(state)), retries: Number.NaN });
    case 'startAgain':
      return reject({ type: 'start', instanceId: INSTANCE_ID });
    case 'unknownCommand':
      return reject({ type: 'launchMissiles' } as unknown as Command);
    case 'unknownSignal':
      return reject({ type: 'broadcastSignal', name: 'never-signaled' });
    case 'badSignalVariables': {
      const name = choose(signalNames(state), n) ?? SIGNALS[0];
      return reject({ type: 'broadcastSignal', name, variables: 'x' as unknown as JsonObject });
    }
    default: {
      const unknown: never = kind;
      throw new Error(`unknown stale kind ${String(unknown)}`);
    }
  }
}

/** Signal subscriptions are named `signal:<name>`. */
const SIGNAL_PREFIX = 'signal:';

/** The names of the signals open subscriptions wait for, sorted. */
function signalNames(state: InstanceState): string[] {
  const names = Object.values(state.subscriptions).filter((s) => s.messageName.startsWith(SIGNAL_PREFIX)).map((s) => s.messageName.slice(SIGNAL_PREFIX.length));
  return [...new Set(names)].sort();
}

/** The error code an error boundary of `hostId`, or an error event subprocess inside it (`null`: the process), catches. */
function codeCaughtAt(definition: ProcessDefinition, hostId: string | null): string | null {
  const host = hostId === null ? undefined : definition.elements[hostId];
  for (const id of host?.boundaries ?? []) {
    const trigger = triggerOf(definition.elements[id]);
    if (trigger?.type === 'error') return trigger.errorCode ?? 'ANY';
  }
  for (const esp of Object.values(definition.elements)) {
    if (esp.kind !== 'subProcess' || !esp.triggeredByEvent || esp.parent !== hostId) continue;
    const trigger = triggerOf(definition.elements[esp.start]);
    if (trigger?.type === 'error') return trigger.errorCode ?? 'ANY';
  }
  return null;
}

/** An error code the nearest error boundary or error event subprocess around element instance `ei` catches (any code for a catch-all). */
function catchingCode(definition: ProcessDefinition, state: InstanceState, ei: string): string | null {
  for (let key: string | undefined = ei; key && key !== 'root'; key = state.elements[key]?.scope) {
    const code = codeCaughtAt(definition, state.elements[key]?.elementId ?? '');
    if (code) return code;
  }
  return codeCaughtAt(definition, null);
}

/**
 * The concrete command for an action in the current state. Once the instance has
 * ended every command must be rejected.
 */
export function toCommand(definition: ProcessDefinition, action: Action, state: InstanceState, closed: Closed, now: number): Concrete {
  const ended = state.status !== 'active';
  const open = (c: Command, expect: Expectation = 'accept', at = now): Concrete => ({ command: c, now: at, expect: ended ? 'reject' : expect });
  const stale = (kind: StaleKind, n: number): Concrete => staleCommand(kind, n, state, closed, now);
  switch (action.type) {
    case 'completeJob': {
      const job = choose(byKey(state.jobs), action.pick);
      if (!job) return stale('unknownJob', action.pick);
      return open({ type: 'completeJob', jobId: gid(job.key), variables: action.variables }, job.retries > 0 ? 'accept' : 'reject');
    }
    case 'failJob': {
      const job = choose(byKey(state.jobs), action.pick);
      if (!job) return stale('unknownJob', action.pick);
      // Failing a job that is already in an incident is accepted today (Zeebe rejects it): not asserted here.
      return open({ type: 'failJob', jobId: gid(job.key), retries: action.retries, errorMessage: 'worker failed' }, job.retries > 0 ? 'accept' : 'either');
    }
    case 'throwError': {
      const job = choose(byKey(state.jobs), action.pick);
      if (!job) return stale('unknownJob', action.pick);
      const errorCode = (action.caught ? catchingCode(definition, state, job.ei) : null) ?? action.errorCode;
      return open({ type: 'throwError', jobId: gid(job.key), errorCode }, job.retries > 0 ? 'accept' : 'either');
    }
    case 'completeTask': {
      const task = choose(byKey(state.tasks), action.pick);
      if (!task) return stale('closedTask', action.pick);
      return open({ type: 'completeTask', taskId: gid(task.key), variables: action.variables });
    }
    case 'correlate': {
      const sub = choose(byKey(state.subscriptions), action.pick);
      if (!sub) return stale('unknownMessage', action.pick);
      const target = action.bySubscriptionId ? { subscriptionId: gid(sub.key) } : {};
      return open({ type: 'correlateMessage', name: sub.messageName, correlationKey: sub.correlationKey, variables: action.variables, ...target });
    }
    case 'broadcastSignal': {
      const waiting = signalNames(state);
      const name = action.waiting ? choose(waiting, action.pick) : SIGNALS[action.pick % SIGNALS.length];
      if (!name) return stale('unknownSignal', action.pick);
      return open({ type: 'broadcastSignal', name, variables: action.variables }, waiting.includes(name) ? 'accept' : 'reject');
    }
    case 'fireNextTimer': {
      const timer = byKey(state.timers).sort((a, b) => a.dueAt - b.dueAt)[0];
      if (!timer) return stale('closedTimer', 0);
      return open({ type: 'fireTimer', timerId: gid(timer.key) }, 'accept', Math.max(now, timer.dueAt));
    }
    case 'fireDueTimer': {
      const at = now + action.advanceMinutes * 60_000;
      const timer = choose(byKey(state.timers).filter((t) => t.dueAt <= at), action.pick);
      if (!timer) return { ...stale('timerNotDue', action.pick), now: at };
      return open({ type: 'fireTimer', timerId: gid(timer.key) }, 'accept', at);
    }
    case 'resolveIncident': {
      const incident = choose(byKey(state.incidents), action.pick);
      if (!incident) return stale('closedIncident', action.pick);
      return open({ type: 'resolveIncident', incidentId: gid(incident.key) });
    }
    case 'setVariables':
      return open({ type: 'setVariables', variables: action.variables });
    case 'cancel':
      return open({ type: 'cancel' });
    case 'stale':
      return stale(action.kind, action.pick);
    default: {
      const unknown: never = action;
      throw new Error(`unknown action ${JSON.stringify(unknown)}`);
    }
  }
}

// ---------------------------------------------------------------------------------
// Running a scenario

export interface StepRecord {
  command: Command;
  now: number;
  expect: Expectation;
  /** The state given to `step` (null for the start). */
  input: InstanceState | null;
  result: StepResult;
}

export interface RunOptions {
  /** Serialise and parse the state before every step, as the durable runtime stores it. */
  roundTrip?: boolean;
  /** Called around every step: to freeze the input, check invariants, ... */
  beforeStep?: (input: InstanceState | null, command: Command) => void;
  afterStep?: (record: StepRecord) => void;
}

export interface Scenario {
  start: JsonObject;
  actions: Action[];
}

export class Runner {
  state: InstanceState | null = null;
  now = T0;
  readonly closed = emptyClosed();
  readonly steps: StepRecord[] = [];
  /** The command being stepped (set while `step` runs): what to report if it throws. */
  pending: { command: Command; now: number } | null = null;

  constructor(
    readonly definition: ProcessDefinition,
    private readonly options: RunOptions = {},
  ) {}

  send(command: Command, now: number, expect: Expectation): StepRecord {
    this.now = now;
    const input = this.state && this.options.roundTrip ? (JSON.parse(JSON.stringify(this.state)) as InstanceState) : this.state;
    this.pending = { command, now };
    this.options.beforeStep?.(input, command);
    const result = step(this.definition, input, command, { now });
    this.pending = null;
    const record: StepRecord = { command, now, expect, input, result };
    this.steps.push(record);
    this.options.afterStep?.(record);
    if (!result.rejection) {
      this.state = result.state;
      recordClosed(this.closed, result.events);
    }
    return record;
  }

  start(variables: JsonObject): StepRecord {
    return this.send({ type: 'start', instanceId: INSTANCE_ID, variables }, this.now, 'accept');
  }

  act(action: Action): StepRecord {
    if (!this.state) throw new Error('start the instance first');
    const concrete = toCommand(this.definition, action, this.state, this.closed, this.now);
    return this.send(concrete.command, concrete.now, concrete.expect);
  }

  get current(): InstanceState {
    if (!this.state) throw new Error('the instance has not started');
    return this.state;
  }
}

/** After the instance ended, this many more actions are sent (each must be rejected); the rest are dropped. */
export const AFTER_END = 3;

/** Starts the instance and applies the actions (only `AFTER_END` of them once it has ended). */
export function runScenario(definition: ProcessDefinition, scenario: Scenario, options: RunOptions = {}): Runner {
  const runner = new Runner(definition, options);
  playScenario(runner, scenario);
  return runner;
}

export function playScenario(runner: Runner, scenario: Scenario): void {
  runner.start(scenario.start);
  let afterEnd = 0;
  for (const action of scenario.actions) {
    if (runner.current.status !== 'active' && ++afterEnd > AFTER_END) break;
    runner.act(action);
  }
}

/** Renders the concrete commands of a run, one per line, for a reproduction. */
export function describeSteps(steps: StepRecord[]): string {
  return steps.map((s, i) => {
    const outcome = s.result.rejection ? `rejected ${s.result.rejection.code}` : `ok -> ${s.result.state.status}`;
    return `  ${String(i).padStart(2)} @+${(s.now - T0) / 1000}s ${JSON.stringify(s.command)}  => ${outcome}`;
  }).join('\n');
}
