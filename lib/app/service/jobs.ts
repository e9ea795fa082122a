/**
 * Jobs for workers (the external-task pattern): list, lease, and complete / fail /
 * throw an error. A job id is `<instanceId>.<key>`, so its command goes straight to
 * its instance with no lookup.
 */
import type { JsonObject } from '../../core/json.ts';
import type { EngineCommand } from '../../ports.ts';
import { submitCommand, type CommandOptions, type CommandOutcome } from './commands.ts';
import type { ServiceDeps } from './deps.ts';
import { instanceOf } from './ids.ts';
import { InvalidRequest, NotFound } from './errors.ts';
import { definitionOf, latestOf } from './instances.ts';
import { jobsWithVariables } from './open-items.ts';
import { jobFromEffect, jobsOf, type JobView } from './views.ts';

export async function listJobs(deps: ServiceDeps, query: { type?: string | undefined; instanceId?: string | undefined; limit: number }): Promise<JobView[]> {
  if (query.type !== undefined && query.instanceId === undefined) {
    return (await jobsWithVariables(deps.instances, await deps.index.listJobs(query.type, { limit: query.limit }))).map(jobFromEffect);
  }
  if (query.instanceId === undefined) throw new InvalidRequest('give a job type or an instance id', [{ path: 'type', message: 'type or instanceId is required' }]);
  const latest = await latestOf(deps, query.instanceId);
  const def = await definitionOf(deps, latest.definitionKey, latest.definitionVersion);
  // Jobs with no retries left wait for their incident, not for a worker.
  return jobsOf(latest.state, def).filter((j) => j.retries > 0 && (query.type === undefined || j.type === query.type)).slice(0, query.limit);
}

export async function activateJobs(deps: ServiceDeps, request: { type: string; maxJobs: number; timeoutMs: number; worker: string }): Promise<JobView[]> {
  const jobs = await jobsWithVariables(deps.instances, await deps.index.activateJobs(request.type, request.maxJobs, request.timeoutMs, request.worker, deps.clock.now()));
  if (jobs.length > 0) deps.logger.info('jobs activated', { type: request.type, worker: request.worker, jobs: jobs.map((j) => j.jobId) });
  return jobs.map(jobFromEffect);
}

async function jobCommand(deps: ServiceDeps, jobId: string, command: EngineCommand, options: CommandOptions): Promise<CommandOutcome> {
  const instanceId = instanceOf(jobId);
  if (!instanceId) throw new NotFound('job', jobId);
  return submitCommand(deps, { instanceId, command }, options);
}

export async function completeJob(deps: ServiceDeps, jobId: string, variables: JsonObject | undefined, options: CommandOptions): Promise<CommandOutcome> {
  return jobCommand(deps, jobId, { type: 'completeJob', jobId, ...(variables ? { variables } : {}) }, options);
}

export async function failJob(deps: ServiceDeps, jobId: string, failure: { retries: number; errorMessage?: string | undefined; retryBackoffMs?: number | undefined }, options: CommandOptions): Promise<CommandOutcome> {
  return jobCommand(deps, jobId, {
    type: 'failJob', jobId, retries: failure.retries,
    ...(failure.errorMessage !== undefined ? { errorMessage: failure.errorMessage } : {}),
    ...(failure.retryBackoffMs !== undefined ? { retryBackoffMs: failure.retryBackoffMs } : {}),
  }, options);
}

export async function throwJobError(deps: ServiceDeps, jobId: string, error: { errorCode: string; errorMessage?: string | undefined; variables?: JsonObject | undefined }, options: CommandOptions): Promise<CommandOutcome> {
  return jobCommand(deps, jobId, {
    type: 'throwError', jobId, errorCode: error.errorCode,
    ...(error.errorMessage !== undefined ? { errorMessage: error.errorMessage } : {}),
    ...(error.variables ? { variables: error.variables } : {}),
  }, options);
}
