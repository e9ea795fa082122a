/**
 * Jobs and tasks found through the index, with their variables read from the instance.
 * Index items carry ids and names only (never variables: an item's size must not grow with
 * the instance's data, see lib/app/limits.ts). Each instance is read once per request; an
 * item whose job or task the instance no longer has open (an index write that lagged or came
 * late) is left out, so a worker is never handed a job that cannot be completed.
 */
import type { Effect } from '../../core/effects.ts';
import { visibleVariables } from '../../core/state/scopes.ts';
import { splitGlobalId, type InstanceState } from '../../core/state/types.ts';
import type { InstanceStore } from '../../ports.ts';

type JobEffect = Extract<Effect, { type: 'job.activatable' }>;
type TaskEffect = Extract<Effect, { type: 'task.created' }>;

/** Reads each instance once; a replica that does not have the item open yet is read again consistently. */
async function states(instances: InstanceStore, ids: Array<{ instanceId: string; key: string; kind: 'jobs' | 'tasks' }>): Promise<Map<string, InstanceState>> {
  const byInstance = new Map<string, Array<{ key: string; kind: 'jobs' | 'tasks' }>>();
  for (const { instanceId, key, kind } of ids) byInstance.set(instanceId, [...(byInstance.get(instanceId) ?? []), { key, kind }]);
  const found = new Map<string, InstanceState>();
  await Promise.all([...byInstance].map(async ([instanceId, wanted]) => {
    let { latest } = await instances.load(instanceId, false);
    const missing = (state: InstanceState | undefined): boolean => !state || wanted.some(({ key, kind }) => !(key in state[kind]));
    if (missing(latest?.state)) ({ latest } = await instances.load(instanceId, true));
    if (latest) found.set(instanceId, latest.state);
  }));
  return found;
}

function fill<T extends JobEffect | TaskEffect>(items: T[], idOf: (item: T) => string, kind: 'jobs' | 'tasks', byInstance: Map<string, InstanceState>): T[] {
  const out: T[] = [];
  for (const item of items) {
    const parts = splitGlobalId(idOf(item));
    const state = parts ? byInstance.get(parts.instanceId) : undefined;
    const record = parts && state ? state[kind][parts.key] : undefined;
    if (!record || !state || state.status !== 'active') continue;
    out.push({ ...item, variables: visibleVariables(state, record.ei) });
  }
  return out;
}

function keysOf<T>(items: T[], idOf: (item: T) => string, kind: 'jobs' | 'tasks'): Array<{ instanceId: string; key: string; kind: 'jobs' | 'tasks' }> {
  return items.flatMap((item) => {
    const parts = splitGlobalId(idOf(item));
    return parts ? [{ ...parts, kind }] : [];
  });
}

export async function jobsWithVariables(instances: InstanceStore, jobs: JobEffect[]): Promise<JobEffect[]> {
  if (jobs.length === 0) return jobs;
  return fill(jobs, (j) => j.jobId, 'jobs', await states(instances, keysOf(jobs, (j) => j.jobId, 'jobs')));
}

export async function tasksWithVariables(instances: InstanceStore, tasks: TaskEffect[]): Promise<TaskEffect[]> {
  if (tasks.length === 0) return tasks;
  return fill(tasks, (t) => t.taskId, 'tasks', await states(instances, keysOf(tasks, (t) => t.taskId, 'tasks')));
}

/** What an index item keeps of an effect: everything but the variables. */
export function withoutVariables<T extends JobEffect | TaskEffect>(effect: T): T {
  return { ...effect, variables: {} };
}
