/**
 * What the API shows of an instance: plain JSON views of a version's state. Ids are
 * global (`<instanceId>.<key>`), times ISO 8601. Reading only: nothing here changes state.
 */
import type { Effect } from '../../core/effects.ts';
import type { JsonObject } from '../../core/json.ts';
import { jobOf, userTaskOf, type ProcessDefinition } from '../../core/bpmn/model/types.ts';
import { globalId, ROOT, type InstanceState } from '../../core/state/types.ts';
import type { HeadStatus, InstanceVersion } from '../../ports.ts';
import { headOf } from '../head.ts';
import { visibleVariables } from '../../core/state/scopes.ts';

export interface JobView {
  jobId: string;
  type: string;
  instanceId: string;
  elementId: string;
  variables: JsonObject;
  headers: Record<string, string>;
  retries: number;
}

export interface TaskView {
  taskId: string;
  instanceId: string;
  elementId: string;
  name: string | null;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  formKey: string | null;
  formId: string | null;
  variables: JsonObject;
}

export interface IncidentView {
  incidentId: string;
  elementId: string;
  kind: string;
  message: string;
  jobId: string | null;
  at: string;
}

export interface StateView {
  instanceId: string;
  definitionKey: string;
  definitionVersion: number;
  businessKey: string | null;
  status: HeadStatus;
  version: number;
  startedAt: string;
  endedAt: string | null;
  updatedAt: string;
  variables: JsonObject;
  activeElements: string[];
  incidents: IncidentView[];
  jobs: JobView[];
  tasks: TaskView[];
  /** The call activity that started this instance (a child), else null. */
  parent: { instanceId: string; callId: string } | null;
  /** Child instances its waiting call activities started. */
  calls: CallView[];
}

export interface CallView {
  callId: string;
  elementId: string;
  childInstanceId: string;
  processId: string;
}

/** The children the instance's call activities wait for. */
export function callsOf(state: InstanceState): CallView[] {
  return Object.values(state.calls ?? {}).sort(byKey).map((c) => ({
    callId: globalId(state.instanceId, c.ei), elementId: state.elements[c.ei]?.elementId ?? '', childInstanceId: c.childInstanceId, processId: c.processId,
  }));
}

export const iso = (ms: number): string => new Date(ms).toISOString();

const byKey = <T extends { key: string }>(a: T, b: T): number => Number(a.key) - Number(b.key);

export { visibleVariables } from '../../core/state/scopes.ts';

export function activeElements(state: InstanceState): string[] {
  return Object.values(state.elements).sort(byKey).map((e) => e.elementId);
}

export function incidentsOf(state: InstanceState): IncidentView[] {
  return Object.values(state.incidents).sort(byKey).map((i) => ({
    incidentId: globalId(state.instanceId, i.key), elementId: i.elementId, kind: i.kind, message: i.message,
    jobId: i.jobKey ? globalId(state.instanceId, i.jobKey) : null, at: iso(i.at),
  }));
}

/** Open jobs (including those waiting for an incident to be resolved: retries 0). */
export function jobsOf(state: InstanceState, def: ProcessDefinition): JobView[] {
  return Object.values(state.jobs).sort(byKey).map((job) => {
    const elementId = state.elements[job.ei]?.elementId ?? '';
    return {
      jobId: globalId(state.instanceId, job.key), type: job.jobType, instanceId: state.instanceId, elementId,
      variables: visibleVariables(state, job.ei), headers: jobOf(def.elements[elementId])?.headers ?? {}, retries: job.retries,
    };
  });
}

export function tasksOf(state: InstanceState, def: ProcessDefinition): TaskView[] {
  return Object.values(state.tasks).sort(byKey).map((task) => {
    const elementId = state.elements[task.ei]?.elementId ?? '';
    const el = def.elements[elementId];
    return {
      taskId: globalId(state.instanceId, task.key), instanceId: state.instanceId, elementId, name: el?.name ?? null,
      assignee: task.assignee, candidateGroups: task.candidateGroups, candidateUsers: task.candidateUsers,
      formKey: userTaskOf(el)?.formKey ?? null, formId: userTaskOf(el)?.formId ?? null, variables: visibleVariables(state, task.ei),
    };
  });
}

/** An instance as one version left it. */
export function stateView(version: InstanceVersion, def: ProcessDefinition): StateView {
  const state = version.state;
  const head = headOf(version);
  return {
    instanceId: version.instanceId, definitionKey: version.definitionKey, definitionVersion: version.definitionVersion,
    businessKey: state.businessKey, status: head.status, version: version.version,
    startedAt: iso(state.startedAt), endedAt: state.endedAt === null ? null : iso(state.endedAt), updatedAt: iso(version.at),
    variables: state.vars[ROOT] ?? {}, activeElements: activeElements(state), incidents: incidentsOf(state),
    jobs: jobsOf(state, def), tasks: tasksOf(state, def), parent: state.parent ?? null, calls: callsOf(state),
  };
}

export function jobFromEffect(job: Extract<Effect, { type: 'job.activatable' }>): JobView {
  return { jobId: job.jobId, type: job.jobType, instanceId: job.instanceId, elementId: job.elementId, variables: job.variables, headers: job.headers, retries: job.retries };
}

export function taskFromEffect(task: Extract<Effect, { type: 'task.created' }>): TaskView {
  return {
    taskId: task.taskId, instanceId: task.instanceId, elementId: task.elementId, name: task.name, assignee: task.assignee,
    candidateGroups: task.candidateGroups, candidateUsers: task.candidateUsers, formKey: task.formKey, formId: task.formId, variables: task.variables,
  };
}
