/**
 * Work done by a job worker (service tasks, business rule / script / send tasks and
 * message throw events with a zeebe:taskDefinition): the element waits for its job.
 */
import type { ElementOf, JobSpec } from '../model/types.ts';
import type { Context } from '../context.ts';
import type { Activation, Behaviour } from '../context.ts';

/** Creates job `job` for element instance `ei` of element `elementId`. */
export function createJob(run: Context, ei: string, elementId: string, job: JobSpec): Activation {
  const jobType = run.name(job.type, ei, `job type of '${elementId}'`, (t) => t !== '', 'a non-empty string');
  if (jobType === null) return 'wait';
  const retriesValue = run.value(job.retries, ei);
  const retries = retriesValue.ok ? Number(retriesValue.value) : Number.NaN;
  if (!Number.isInteger(retries) || retries < 0) {
    run.incident(ei, 'expression', `job retries of '${elementId}': ${retriesValue.ok ? `must be a whole number, got ${JSON.stringify(retriesValue.value)}` : retriesValue.message}`, 'activate');
    return 'wait';
  }
  const key = run.newKey();
  run.emit({ type: 'JobCreated', key, ei, jobType, retries });
  run.effect({
    type: 'job.activatable', jobId: run.id(key), instanceId: run.state.instanceId, elementId, jobType,
    retries, headers: job.headers, variables: run.visible(ei), availableAt: run.now,
  });
  return 'wait';
}

export const jobTask: Behaviour<ElementOf<'serviceTask'>> = {
  activate: (run, key, el) => createJob(run, key, el.id, el.job),
};
