/**
 * Rollback: the instance continues from the state of an earlier version. Nothing is
 * rewritten: the result is the NEXT version, whose state is the old one with
 * - everything open in the current state closed (jobs, tasks, timers, subscriptions),
 * - everything open in the old state opened again under NEW ids (keys continue after
 *   the current ones), so commands aimed at the pre-rollback world (a late job
 *   completion, a timer fire) are stale and rejected instead of applied twice.
 * Pure like `step`: the same inputs give the same output.
 */
import { restartCall } from './features/calls.ts';
import { reopenDecisions } from './commands/decisions.ts';
import { conditionOf, jobOf, type ProcessDefinition } from './model/types.ts';
import { newRun } from './engine.ts';
import type { Clock } from '../clock.ts';
import type { Run } from './run.ts';
import { cloneState } from '../state/apply.ts';
import type { InstanceState } from '../state/types.ts';
import type { StepResult } from '../step.ts';

function closeAll(run: Run, current: InstanceState): void {
  const instanceId = current.instanceId;
  for (const job of Object.values(current.jobs)) run.closeJob(job, 'canceled');
  for (const task of Object.values(current.tasks)) run.closeTask(task, 'canceled');
  for (const timer of Object.values(current.timers)) run.effect({ type: 'timer.canceled', timerId: run.id(timer.key), instanceId, dueAt: timer.dueAt });
  for (const sub of Object.values(current.subscriptions)) run.closeSubscription(sub);
  for (const incident of Object.values(current.incidents)) run.effect({ type: 'incident.resolved', incidentId: run.id(incident.key), instanceId });
  for (const call of Object.values(current.calls ?? {})) run.effect({ type: 'child.cancel', parentInstanceId: instanceId, callId: run.id(call.ei), childInstanceId: call.childInstanceId });
}

function reopenAll(run: Run): void {
  const state = run.state;
  const instanceId = state.instanceId;
  const jobKeys = new Map<string, string>();
  for (const job of Object.values(state.jobs)) {
    const key = run.newKey();
    jobKeys.set(job.key, key);
    const ei = state.elements[job.ei];
    run.emit({ type: 'JobCanceled', key: job.key });
    run.emit({ type: 'JobCreated', key, ei: job.ei, jobType: job.jobType, retries: job.retries });
    const el = run.element(ei?.elementId ?? '');
    // A job with no retries left waits for its incident to be resolved, not for a worker.
    if (job.retries > 0) {
      run.effect({ type: 'job.activatable', jobId: run.id(key), instanceId, elementId: el.id, jobType: job.jobType, retries: job.retries, headers: jobOf(el)?.headers ?? {}, variables: run.visible(job.ei), availableAt: run.now });
    }
  }
  for (const task of Object.values(state.tasks)) {
    const key = run.newKey();
    const el = run.element(state.elements[task.ei]?.elementId ?? '');
    run.emit({ type: 'TaskCanceled', key: task.key });
    run.emit({ type: 'TaskCreated', key, ei: task.ei, assignee: task.assignee, candidateGroups: task.candidateGroups, candidateUsers: task.candidateUsers });
    const spec = el.kind === 'userTask' ? el.userTask : null;
    run.effect({
      type: 'task.created', taskId: run.id(key), instanceId, elementId: el.id, name: el.name, assignee: task.assignee,
      candidateGroups: task.candidateGroups, candidateUsers: task.candidateUsers, formKey: spec?.formKey ?? null, formId: spec?.formId ?? null,
      dueDate: null, followUpDate: null, variables: run.visible(task.ei),
    });
  }
  for (const timer of Object.values(state.timers)) {
    const key = run.newKey();
    run.emit({ type: 'TimerCanceled', key: timer.key });
    run.emit({ type: 'TimerScheduled', key, ei: timer.ei, elementId: timer.elementId, dueAt: timer.dueAt, repetitions: timer.repetitions, cycle: timer.cycle });
    run.effect({ type: 'timer.scheduled', timerId: run.id(key), instanceId, elementId: timer.elementId, dueAt: timer.dueAt });
  }
  for (const sub of Object.values(state.subscriptions)) {
    const key = run.newKey();
    run.emit({ type: 'SubscriptionClosed', key: sub.key });
    run.emit({ type: 'SubscriptionOpened', key, ei: sub.ei, elementId: sub.elementId, messageName: sub.messageName, correlationKey: sub.correlationKey });
    run.effect({
      type: 'subscription.opened', subscriptionId: run.id(key), instanceId, elementId: sub.elementId, messageName: sub.messageName, correlationKey: sub.correlationKey,
      condition: conditionOf(run.element(sub.elementId)),
    });
  }
  for (const incident of Object.values(state.incidents)) {
    const key = run.newKey();
    run.emit({ type: 'IncidentResolved', key: incident.key });
    const jobKey = incident.jobKey ? (jobKeys.get(incident.jobKey) ?? incident.jobKey) : null;
    run.emit({ type: 'IncidentRaised', key, ei: incident.ei, elementId: incident.elementId, kind: incident.kind, message: incident.message, phase: incident.phase, jobKey, at: incident.at });
    run.effect({ type: 'incident.raised', incidentId: run.id(key), instanceId, elementId: incident.elementId, kind: incident.kind, message: incident.message });
  }
  // A call activity waiting again gets a new child (the old one was canceled above): a late report from the old child is stale.
  for (const call of Object.values(state.calls ?? {})) restartCall(run, call);
}

/**
 * @example rollback(def, current, versions[2].state, 2, { now }) // state of version 2, with fresh ids
 */
export function rollback(definition: ProcessDefinition, current: InstanceState, target: InstanceState, toVersion: number, clock: Clock): StepResult {
  if (target.instanceId !== current.instanceId) throw new Error('rollback target belongs to another instance');
  const draft = cloneState(target);
  draft.seq = Math.max(current.seq, target.seq);
  // The commands applied since the target stay applied: a replay of one of them after the
  // rollback is still a duplicate (the old state's list would have forgotten them).
  draft.recentCommands = [...(current.recentCommands ?? [])];
  const run = newRun(definition, draft, clock);
  run.emit({ type: 'RolledBack', toVersion, at: clock.now });
  closeAll(run, current);
  reopenAll(run);
  reopenDecisions(run);
  return { state: run.state, events: run.events, effects: run.effects };
}
