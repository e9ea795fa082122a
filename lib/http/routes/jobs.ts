/** /v1/jobs: what job workers use (list, activate with a lease, complete, fail, throw a BPMN error). */
import type { ServiceDeps } from '../../app/service/deps.ts';
import { activateJobs, completeJob, failJob, listJobs, throwJobError } from '../../app/service/jobs.ts';
import { commandOptions, commandResponse, commandResponses, errors, IDEMPOTENCY_HEADER, ok } from '../response.ts';
import { route, type Route } from '../router.ts';
import { ActivateJobsRequest, CompleteJobRequest, FailJobRequest, JobList, JobParam, JobsQuery, ThrowErrorRequest, WaitQuery } from '../schemas.ts';

export function jobRoutes(deps: ServiceDeps): Route[] {
  return [
    route({
      method: 'GET', path: '/v1/jobs', operationId: 'listJobs', tag: 'jobs',
      summary: 'Open jobs by type or by instance', description: 'Give `type`, `instanceId` or both. Lists leased jobs too; use activate to take work.',
      query: JobsQuery,
      responses: { 200: { description: 'open jobs', schema: JobList }, ...errors([400, 'no filter given'], [404, 'unknown instance']) },
      handle: async ({ query }) => ok({ items: await listJobs(deps, query) }),
    }),
    route({
      method: 'POST', path: '/v1/jobs/activate', operationId: 'activateJobs', tag: 'jobs',
      summary: 'Lease up to maxJobs jobs of a type',
      description: 'Each job returned is leased to `worker` for `timeoutMs`: no other activation returns it until the lease passes (then it is offered again). Jobs waiting out a retry backoff are skipped.',
      body: { json: ActivateJobsRequest },
      responses: { 200: { description: 'the leased jobs (possibly none)', schema: JobList }, ...errors([400, 'invalid input']) },
      handle: async ({ body }) => ok({ items: await activateJobs(deps, body) }),
    }),
    route({
      method: 'POST', path: '/v1/jobs/{jobId}/complete', operationId: 'completeJob', tag: 'jobs',
      summary: 'Complete a job', params: JobParam, query: WaitQuery, body: { json: CompleteJobRequest }, headers: [IDEMPOTENCY_HEADER],
      responses: commandResponses(),
      handle: async (req) => commandResponse(await completeJob(deps, req.params.jobId, req.body.variables, commandOptions(req))),
    }),
    route({
      method: 'POST', path: '/v1/jobs/{jobId}/fail', operationId: 'failJob', tag: 'jobs',
      summary: 'Fail a job: retry it later, or (retries 0) raise an incident', params: JobParam, query: WaitQuery, body: { json: FailJobRequest }, headers: [IDEMPOTENCY_HEADER],
      responses: commandResponses(),
      handle: async (req) => commandResponse(await failJob(deps, req.params.jobId, req.body, commandOptions(req))),
    }),
    route({
      method: 'POST', path: '/v1/jobs/{jobId}/throw-error', operationId: 'throwError', tag: 'jobs',
      summary: 'End a job with a BPMN error (caught by an error boundary event, else an incident)', params: JobParam, query: WaitQuery, body: { json: ThrowErrorRequest }, headers: [IDEMPOTENCY_HEADER],
      responses: commandResponses(),
      handle: async (req) => commandResponse(await throwJobError(deps, req.params.jobId, req.body, commandOptions(req))),
    }),
  ];
}
