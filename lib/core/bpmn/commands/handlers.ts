/**
 * One handler per command: check that it still applies (stale commands are
 * rejections, not errors), then drive the lifecycle. Handlers only emit events
 * and schedule work on the run; `step` drains it.
 */
import type { Command, Rejection } from '../../commands.ts';
import { REJECTIONS } from '../../commands.ts';
import { recheckCondition } from '../features/conditions.ts';
import { openEventSubprocesses } from '../features/event-subprocesses.ts';
import { isJsonObject, toJson, type JsonObject } from '../../json.ts';
import { jobOf, signalSubscriptionName, triggerOf } from '../model/types.ts';
import type { Context } from '../context.ts';
import { splitGlobalId, ROOT } from '../../state/types.ts';
import { correlate, fireTimer, throwError } from '../features/triggers.ts';

type Outcome = Rejection | null;

const reject = (code: Rejection['code'], message: string): Rejection => ({ code, message });

/** Variables from outside: a plain JSON object, with prototype-polluting keys dropped. */
export function cleanVariables(value: unknown): JsonObject | Rejection {
  if (value === undefined) return {};
  if (!isJsonObject(value)) return reject(REJECTIONS.invalidCommand, 'variables must be a JSON object');
  const json = toJson(value);
  return isJsonObject(json) ? json : reject(REJECTIONS.invalidCommand, 'variables must be plain JSON data');
}

function localKey(run: Context, id: string, what: string): string | Rejection {
  const parts = splitGlobalId(String(id));
  if (!parts || parts.instanceId !== run.state.instanceId) return reject(REJECTIONS.notFound, `${what} '${id}' does not belong to instance '${run.state.instanceId}'`);
  return parts.key;
}

/** How a process without a none start event starts: 'message or timer', from its start events. */
function startKinds(def: Context['definition']): string {
  const kinds = [...new Set(def.startEvents.map((id) => triggerOf(def.elements[id])?.type).filter((t): t is NonNullable<typeof t> => Boolean(t) && t !== 'none'))];
  const named = kinds.map((k) => (k === 'conditional' ? 'condition' : k));
  return named.length > 1 ? `${named.slice(0, -1).join(', ')} or ${named.at(-1)}` : named[0] ?? 'nothing (it has no start event at process level)';
}

export function start(run: Context, command: Extract<Command, { type: 'start' }>, variables: JsonObject): Outcome {
  const def = run.definition;
  const startEventId = command.startEventId ?? def.startEvents.find((id) => triggerOf(def.elements[id])?.type === 'none');
  const startEvent = startEventId ? def.elements[startEventId] : undefined;
  if (!startEventId || !startEvent || startEvent.kind !== 'startEvent' || startEvent.parent !== null) {
    return reject(REJECTIONS.invalidCommand, command.startEventId
      ? `'${command.startEventId}' is not a start event of process '${def.key}'`
      : `process '${def.key}' has no none start event; it starts by ${startKinds(def)}`);
  }
  const parent = command.parent;
  if (parent !== undefined && (typeof parent?.instanceId !== 'string' || typeof parent.callId !== 'string')) return reject(REJECTIONS.invalidCommand, 'parent needs an instanceId and a callId');
  run.emit({
    type: 'InstanceStarted', definitionKey: def.key, definitionHash: def.hash, businessKey: command.businessKey ?? null, startEventId, at: run.now,
    ...(parent ? { parent: { instanceId: parent.instanceId, callId: parent.callId } } : {}),
  });
  if (startEvent.outputs.length === 0) run.setLocal(ROOT, variables);
  const problem = openEventSubprocesses(run, ROOT, null);
  if (problem) return reject(REJECTIONS.invalidCommand, problem);
  run.activate(startEventId, ROOT, startEvent.outputs.length > 0 ? { variables } : undefined);
  return null;
}

function findJob(run: Context, jobId: string) {
  const key = localKey(run, jobId, 'job');
  if (typeof key !== 'string') return key;
  return run.state.jobs[key] ?? reject(REJECTIONS.notFound, `job '${jobId}' is not open (completed, canceled or never created)`);
}

export function completeJob(run: Context, jobId: string, variables: JsonObject): Outcome {
  const job = findJob(run, jobId);
  if ('code' in job) return job;
  if (job.retries <= 0) return reject(REJECTIONS.invalidState, `job '${jobId}' has no retries left and is in an incident; resolve the incident first`);
  run.emit({ type: 'JobCompleted', key: job.key });
  run.closeJob(job, 'completed');
  run.acceptVariables(job.ei, variables);
  run.later(() => run.complete(job.ei));
  return null;
}

export function failJob(run: Context, command: Extract<Command, { type: 'failJob' }>): Outcome {
  const job = findJob(run, command.jobId);
  if ('code' in job) return job;
  if (job.retries <= 0) return reject(REJECTIONS.invalidState, `job '${command.jobId}' is in an incident; resolve the incident first`);
  const retries = Math.max(0, Math.floor(Number(command.retries)));
  if (!Number.isFinite(retries)) return reject(REJECTIONS.invalidCommand, 'retries must be a number');
  const backoff = Math.max(0, Number(command.retryBackoffMs ?? 0)) || 0;
  const retryAt = retries > 0 && backoff > 0 ? run.now + backoff : null;
  const errorMessage = String(command.errorMessage ?? 'job failed');
  run.emit({ type: 'JobFailed', key: job.key, retries, errorMessage, retryAt });
  const ei = run.instance(job.ei);
  if (retries > 0 && ei) {
    run.effect({
      type: 'job.activatable', jobId: run.id(job.key), instanceId: run.state.instanceId, elementId: ei.elementId, jobType: job.jobType,
      retries, headers: jobOf(run.element(ei.elementId))?.headers ?? {}, variables: run.visible(job.ei), availableAt: retryAt ?? run.now,
    });
  } else {
    run.closeJob(job, 'failed');
    run.incident(job.ei, 'job', `job '${run.id(job.key)}' failed with no retries left: ${errorMessage}`, 'job', job.key);
  }
  return null;
}

export function throwJobError(run: Context, command: Extract<Command, { type: 'throwError' }>, variables: JsonObject): Outcome {
  const job = findJob(run, command.jobId);
  if ('code' in job) return job;
  if (!command.errorCode || typeof command.errorCode !== 'string') return reject(REJECTIONS.invalidCommand, 'errorCode is required');
  if (job.retries <= 0) return reject(REJECTIONS.invalidState, `job '${command.jobId}' is in an incident; resolve the incident first`);
  run.acceptVariables(job.ei, variables);
  const caught = throwError(run, job.ei, command.errorCode, command.errorMessage ?? null, job.key);
  if (!caught) {
    run.emit({ type: 'JobFailed', key: job.key, retries: 0, errorMessage: `error '${command.errorCode}' not caught`, retryAt: null });
    run.closeJob(job, 'failed');
  }
  return null;
}

export function completeTask(run: Context, taskId: string, variables: JsonObject): Outcome {
  const key = localKey(run, taskId, 'task');
  if (typeof key !== 'string') return key;
  const task = run.state.tasks[key];
  if (!task) return reject(REJECTIONS.notFound, `task '${taskId}' is not open (completed, canceled or never created)`);
  run.emit({ type: 'TaskCompleted', key });
  run.closeTask(task, 'completed');
  run.acceptVariables(task.ei, variables);
  run.later(() => run.complete(task.ei));
  return null;
}

export function correlateMessage(run: Context, command: Extract<Command, { type: 'correlateMessage' }>, variables: JsonObject): Outcome {
  const subs = Object.values(run.state.subscriptions)
    .filter((s) => s.messageName === command.name && s.correlationKey === String(command.correlationKey))
    .filter((s) => !command.subscriptionId || run.id(s.key) === command.subscriptionId)
    .sort((a, b) => Number(a.key) - Number(b.key));
  const sub = subs[0];
  if (!sub) return reject(REJECTIONS.notFound, `no open subscription for message '${command.name}' with correlation key '${command.correlationKey}'`);
  correlate(run, sub, variables, command.messageId ?? null);
  return null;
}

/** Every open subscription for the signal, oldest first; one interrupted by an earlier one is skipped. */
export function broadcastSignal(run: Context, command: Extract<Command, { type: 'broadcastSignal' }>, variables: JsonObject): Outcome {
  const messageName = signalSubscriptionName(String(command.name));
  const subs = Object.values(run.state.subscriptions).filter((s) => s.messageName === messageName).sort((a, b) => Number(a.key) - Number(b.key));
  if (subs.length === 0) return reject(REJECTIONS.notFound, `no open subscription for signal '${command.name}'`);
  for (const sub of subs) if (run.state.subscriptions[sub.key]) correlate(run, sub, variables, command.signalId ?? null);
  return null;
}

export function fireTimerCommand(run: Context, timerId: string): Outcome {
  const key = localKey(run, timerId, 'timer');
  if (typeof key !== 'string') return key;
  const timer = run.state.timers[key];
  if (!timer) return reject(REJECTIONS.notFound, `timer '${timerId}' is not pending (fired, canceled or its token moved on)`);
  if (timer.dueAt > run.now) return reject(REJECTIONS.notDue, `timer '${timerId}' is due at ${new Date(timer.dueAt).toISOString()}`);
  fireTimer(run, timer);
  return null;
}

export function resolveIncident(run: Context, incidentId: string, retries: number | undefined): Outcome {
  const key = localKey(run, incidentId, 'incident');
  if (typeof key !== 'string') return key;
  const incident = run.state.incidents[key];
  if (!incident) return reject(REJECTIONS.notFound, `incident '${incidentId}' is not open`);
  run.emit({ type: 'IncidentResolved', key });
  run.effect({ type: 'incident.resolved', incidentId, instanceId: run.state.instanceId });
  const job = incident.jobKey ? run.state.jobs[incident.jobKey] : undefined;
  if (incident.phase === 'job' && job) {
    const ei = run.instance(job.ei);
    const newRetries = Math.max(1, Math.floor(retries ?? 1));
    run.emit({ type: 'JobRetriesUpdated', key: job.key, retries: newRetries });
    run.effect({
      type: 'job.activatable', jobId: run.id(job.key), instanceId: run.state.instanceId, elementId: ei?.elementId ?? '', jobType: job.jobType,
      retries: newRetries, headers: jobOf(run.element(ei?.elementId ?? ''))?.headers ?? {}, variables: run.visible(job.ei), availableAt: run.now,
    });
  } else if (incident.phase === 'activate') run.later(() => run.enter(incident.ei));
  else if (incident.phase === 'complete') run.later(() => run.complete(incident.ei));
  else if (incident.phase === 'error') run.later(() => run.enter(incident.ei));
  else if (incident.phase === 'condition') recheckCondition(run, incident);
  else if (incident.phase === 'command' && incident.commandId) run.effect({ type: 'command.redrive', instanceId: run.state.instanceId, commandId: incident.commandId });
  return null;
}

/** A command that failed for good: one open incident per command id, on the instance itself. */
export function deadCommand(run: Context, command: { commandId: string; commandType: string; message: string }): Outcome {
  if (Object.values(run.state.incidents).some((i) => i.commandId === command.commandId)) {
    return reject(REJECTIONS.duplicate, `command '${command.commandId}' already has an incident`);
  }
  const key = run.newKey();
  const elementId = run.definition.key;
  const message = `command '${command.commandId}' (${command.commandType}) failed for good: ${command.message}`;
  run.emit({ type: 'IncidentRaised', key, ei: ROOT, elementId, kind: 'command', message, phase: 'command', jobKey: null, at: run.now, commandId: command.commandId });
  run.effect({ type: 'incident.raised', incidentId: run.id(key), instanceId: run.state.instanceId, elementId, kind: 'command', message });
  return null;
}

export function cancel(run: Context): Outcome {
  for (const ei of Object.values(run.state.elements).filter((e) => e.scope === ROOT)) run.terminate(ei.key);
  if (Object.keys(run.state.joins).length > 0) run.emit({ type: 'JoinsCleared', scope: ROOT });
  run.detach(ROOT);
  run.emit({ type: 'InstanceCanceled', at: run.now });
  run.effect({ type: 'instance.ended', instanceId: run.state.instanceId, status: 'canceled', variables: run.state.vars[ROOT] ?? {} });
  return null;
}
