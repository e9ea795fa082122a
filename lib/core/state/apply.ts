/**
 * The one place instance state changes: one short case per event (an exhaustive
 * switch, so a new event cannot be forgotten). Mutates the draft it is given;
 * `step` works on its own copy, never on the caller's state.
 */
import { applyCompensationEvent, clearCompensation, copyCompensation, settleCompensation } from './compensation.ts';
import type { DomainEvent } from './events.ts';
import { RECENT_COMMANDS, ROOT, type InstanceState } from './types.ts';

function bumpSeq(state: InstanceState, key: string): void {
  const n = Number(key);
  if (n > state.seq) state.seq = n;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  if (parts.some((part) => FORBIDDEN.has(part))) return;
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next) || !Object.hasOwn(node, part)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

function dropScope(state: InstanceState, key: string): void {
  delete state.elements[key];
  delete state.vars[key];
  for (const id of Object.keys(state.joins)) if (id.startsWith(`${key}/`)) delete state.joins[id];
  if (state.loops?.[key]) delete state.loops[key];
  // A business rule task that ends (boundary event, cancel) stops waiting for its decision.
  for (const request of Object.values(state.decisions ?? {})) if (request.ei === key) delete state.decisions?.[request.key];
}

export function emptyState(instanceId: string): InstanceState {
  return {
    instanceId,
    definitionKey: '',
    definitionHash: '',
    businessKey: null,
    status: 'active',
    startedAt: 0,
    endedAt: null,
    seq: 0,
    vars: { [ROOT]: {} },
    elements: {},
    joins: {},
    jobs: {},
    tasks: {},
    timers: {},
    subscriptions: {},
    incidents: {},
    recentCommands: [],
  };
}

export function applyEvent(state: InstanceState, event: DomainEvent): void {
  switch (event.type) {
    case 'InstanceStarted':
      Object.assign(state, { definitionKey: event.definitionKey, definitionHash: event.definitionHash, businessKey: event.businessKey, startedAt: event.at, status: 'active' });
      if (event.parent) state.parent = { ...event.parent };
      return;
    case 'InstanceCompleted':
      Object.assign(state, { status: 'completed', endedAt: event.at });
      clearCompensation(state);
      return;
    case 'InstanceCanceled':
      Object.assign(state, { status: 'canceled', endedAt: event.at });
      clearCompensation(state);
      return;
    case 'ElementActivated':
      bumpSeq(state, event.key);
      state.elements[event.key] = { key: event.key, elementId: event.elementId, scope: event.scope };
      return;
    case 'ElementCompleted':
    case 'ElementTerminated':
      dropScope(state, event.key);
      settleCompensation(state, event.key, event.type === 'ElementCompleted');
      return;
    case 'FlowTaken':
    case 'RolledBack':
    case 'ErrorThrown':
    case 'MessagePublished':
    case 'SignalBroadcast':
    case 'EscalationThrown':
      return;
    case 'LoopStarted':
      (state.loops ??= {})[event.key] = { key: event.key, total: event.total, started: 0, completed: 0, inner: {}, outputs: {} };
      return;
    case 'LoopItemActivated': {
      const loop = state.loops?.[event.key];
      if (!loop) return;
      loop.started += 1;
      loop.inner[event.inner] = event.index;
      return;
    }
    case 'LoopItemCompleted': {
      const loop = state.loops?.[event.key];
      const index = loop?.inner[event.inner];
      if (!loop || index === undefined) return;
      loop.completed += 1;
      delete loop.inner[event.inner];
      if (event.hasOutput) loop.outputs[String(index)] = event.output;
      return;
    }
    case 'JoinArrived': {
      const id = `${event.scope}/${event.gatewayId}`;
      const arrivals = (state.joins[id] ??= {});
      arrivals[event.flowId] = (arrivals[event.flowId] ?? 0) + 1;
      return;
    }
    case 'JoinFired': {
      const id = `${event.scope}/${event.gatewayId}`;
      const arrivals = state.joins[id] ?? {};
      for (const flow of event.flows) {
        const left = (arrivals[flow] ?? 0) - 1;
        if (left > 0) arrivals[flow] = left;
        else delete arrivals[flow];
      }
      if (Object.keys(arrivals).length === 0) delete state.joins[id];
      return;
    }
    case 'JoinsCleared':
      for (const id of Object.keys(state.joins)) if (id.startsWith(`${event.scope}/`)) delete state.joins[id];
      return;
    case 'VariablesSet': {
      const scope = (state.vars[event.scope] ??= {});
      for (const [name, value] of Object.entries(event.variables)) setPath(scope, name, value);
      return;
    }
    case 'JobCreated':
      bumpSeq(state, event.key);
      state.jobs[event.key] = { key: event.key, ei: event.ei, jobType: event.jobType, retries: event.retries, retryAt: null, errorMessage: null };
      return;
    case 'JobFailed': {
      const job = state.jobs[event.key];
      if (job) Object.assign(job, { retries: event.retries, retryAt: event.retryAt, errorMessage: event.errorMessage });
      return;
    }
    case 'JobRetriesUpdated': {
      const job = state.jobs[event.key];
      if (job) Object.assign(job, { retries: event.retries, retryAt: null });
      return;
    }
    case 'JobCompleted':
    case 'JobCanceled':
      delete state.jobs[event.key];
      return;
    case 'TaskCreated':
      bumpSeq(state, event.key);
      state.tasks[event.key] = { key: event.key, ei: event.ei, assignee: event.assignee, candidateGroups: event.candidateGroups, candidateUsers: event.candidateUsers };
      return;
    case 'TaskCompleted':
    case 'TaskCanceled':
      delete state.tasks[event.key];
      return;
    case 'TimerScheduled':
      bumpSeq(state, event.key);
      state.timers[event.key] = { key: event.key, ei: event.ei, elementId: event.elementId, dueAt: event.dueAt, repetitions: event.repetitions, cycle: event.cycle };
      return;
    case 'TimerFired':
    case 'TimerCanceled':
      delete state.timers[event.key];
      return;
    case 'SubscriptionOpened':
      bumpSeq(state, event.key);
      state.subscriptions[event.key] = { key: event.key, ei: event.ei, elementId: event.elementId, messageName: event.messageName, correlationKey: event.correlationKey };
      return;
    case 'SubscriptionCorrelated':
    case 'SubscriptionClosed':
      delete state.subscriptions[event.key];
      return;
    case 'CallStarted':
      bumpSeq(state, event.key);
      (state.calls ??= {})[event.key] = { key: event.key, ei: event.ei, childInstanceId: event.childInstanceId, processId: event.processId };
      return;
    case 'CallEnded':
      if (state.calls) delete state.calls[event.key];
      return;
    case 'CompensableRecorded':
    case 'CompensationThrown':
    case 'CompensationHandlerActivated':
    case 'CompensationHandlerCompleted':
    case 'CompensationCompleted':
      applyCompensationEvent(state, event);
      return;
    case 'ConditionOpened':
      bumpSeq(state, event.key);
      (state.conditions ??= {})[event.key] = { key: event.key, ei: event.ei, elementId: event.elementId, holds: false };
      return;
    case 'ConditionTriggered':
    case 'ConditionReset': {
      const listener = state.conditions?.[event.key];
      if (listener) listener.holds = event.type === 'ConditionTriggered';
      return;
    }
    case 'ConditionClosed':
      if (state.conditions) delete state.conditions[event.key];
      return;
    case 'DecisionRequested':
      bumpSeq(state, event.key);
      (state.decisions ??= {})[event.key] = { key: event.key, ei: event.ei, decisionId: event.decisionId, bindingType: event.bindingType, versionTag: event.versionTag };
      return;
    case 'DecisionEvaluated':
    case 'DecisionFailed':
    case 'DecisionCanceled':
      if (state.decisions) delete state.decisions[event.key];
      return;
    case 'IncidentRaised':
      bumpSeq(state, event.key);
      state.incidents[event.key] = {
        key: event.key, ei: event.ei, elementId: event.elementId, kind: event.kind, message: event.message, phase: event.phase, jobKey: event.jobKey, at: event.at,
        ...(event.commandId !== undefined ? { commandId: event.commandId } : {}),
      };
      return;
    case 'IncidentResolved':
      delete state.incidents[event.key];
      return;
    case 'CommandRecorded':
      state.recentCommands = [...(state.recentCommands ?? []), event.commandId].slice(-RECENT_COMMANDS);
      return;
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${JSON.stringify(unknown)}`);
    }
  }
}

const copyRecord = <T extends object>(record: Record<string, T>): Record<string, T> => {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(record)) out[key] = { ...value };
  return out;
};

function copyLoops(loops: NonNullable<InstanceState['loops']>): NonNullable<InstanceState['loops']> {
  const out: NonNullable<InstanceState['loops']> = {};
  // Output values are never changed in place, so sharing them is safe.
  for (const [key, loop] of Object.entries(loops)) out[key] = { ...loop, inner: { ...loop.inner }, outputs: { ...loop.outputs } };
  return out;
}

/**
 * A private copy of a state for `step` to change. Records of flat objects are copied
 * one level deep; variables (nested data) are copied fully. Several times faster than
 * `structuredClone` on typical states.
 */
export function cloneState(state: InstanceState): InstanceState {
  const joins: InstanceState['joins'] = {};
  for (const [id, arrivals] of Object.entries(state.joins)) joins[id] = { ...arrivals };
  const tasks: InstanceState['tasks'] = {};
  for (const [key, task] of Object.entries(state.tasks)) {
    tasks[key] = { ...task, candidateGroups: [...task.candidateGroups], candidateUsers: [...task.candidateUsers] };
  }
  return {
    ...state,
    vars: JSON.parse(JSON.stringify(state.vars)) as InstanceState['vars'],
    elements: copyRecord(state.elements),
    joins,
    jobs: copyRecord(state.jobs),
    tasks,
    timers: copyRecord(state.timers),
    subscriptions: copyRecord(state.subscriptions),
    incidents: copyRecord(state.incidents),
    ...(state.loops ? { loops: copyLoops(state.loops) } : {}),
    ...(state.calls ? { calls: copyRecord(state.calls) } : {}),
    ...(state.conditions ? { conditions: copyRecord(state.conditions) } : {}),
    ...(state.decisions ? { decisions: copyRecord(state.decisions) } : {}),
    ...copyCompensation(state),
  };
}
