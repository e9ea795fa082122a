/**
 * `serverless-bpmn/worker`: talk to the engine's HTTP API and run job workers.
 *
 * @example
 * import { createClient, createWorker, BpmnError } from 'serverless-bpmn/worker';
 *
 * const client = createClient({ url: 'http://localhost:3000' });
 * const worker = createWorker({
 *   client,
 *   type: 'kyc-check',
 *   handler: async (job) => {
 *     if (!job.variables.customer) throw new BpmnError('NO_CUSTOMER', 'the order has no customer');
 *     return { identityVerified: true };
 *   },
 * });
 * process.once('SIGTERM', () => void worker.stop());
 */
export { ApiClient, createClient, type ClientOptions } from './client.ts';
export { ApiError, ApiUnreachableError, BpmnError, ClientError, JobFailure } from './errors.ts';
export { createWorker, type JobContext, type JobHandler, type JobWorker, type WorkerOptions } from './worker.ts';
export { createHttpWorker, httpConnector, HTTP_JOB_TYPE, type HttpConnectorOptions } from './http.ts';
export { exponentialBackoff, type ExponentialBackoffOptions, type RetryBackoff } from './backoff.ts';
export { jsonLogger, silentLogger, type LogFields, type Logger } from './logger.ts';
export { INSTANCE_STATUSES } from './types.ts';
export type * from './types.ts';
