/**
 * The job worker: Zeebe's external-task pattern over the HTTP API. It long-polls
 * `POST /v1/jobs/activate` for one job type, runs the handler with at most
 * `maxJobsActive` jobs in flight, and reports how each ended:
 *
 *   handler returns variables (or nothing)  -> POST /v1/jobs/{id}/complete { variables }
 *   handler throws BpmnError(code, message) -> POST /v1/jobs/{id}/throw-error
 *   handler throws JobFailure(msg, opts)    -> POST /v1/jobs/{id}/fail with its retries/backoff
 *   handler throws anything else            -> POST /v1/jobs/{id}/fail { retries: retries - 1, retryBackoffMs }
 *
 * Poll failures (API down, 5xx) are logged and retried with backoff; nothing the API
 * or a handler does ends the process. `stop()` ends polling and waits for the jobs in flight.
 *
 *   poll ──(jobs)──> handler ──> report ──> slot free ──> poll
 *    │  └─(none)──> sleep pollIntervalMs ──> poll
 *    └──(error)──> log, sleep backoff ──> poll
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isJsonObject, type JsonObject } from '../core/json.ts';
import { exponentialBackoff, pollBackoff, type RetryBackoff } from './backoff.ts';
import type { ApiClient } from './client.ts';
import { ApiError, ApiUnreachableError, BpmnError, JobFailure } from './errors.ts';
import { describeError, jsonLogger, type Logger } from './logger.ts';
import type { ActivatedJob, CommandResult } from './types.ts';

export interface JobContext {
  /** Aborted when the job's lease (`timeoutMs`) runs out: another worker may get the job then. */
  signal: AbortSignal;
  logger: Logger;
  /** The worker's name. */
  worker: string;
}

/** Returns the variables to complete the job with (nothing: none), or throws (see the module comment). */
export type JobHandler = (job: ActivatedJob, context: JobContext) => Promise<JsonObject | void> | JsonObject | void;

export interface WorkerOptions {
  client: ApiClient;
  /** The job type (`zeebe:taskDefinition type`). */
  type: string;
  handler: JobHandler;
  /** At most this many jobs in flight at once. Default 32. */
  maxJobsActive?: number;
  /** The lease of an activated job, at least 1 s. Default 5 min. */
  timeoutMs?: number;
  /** The pause after a poll that found nothing; the base of the backoff after a failed one. Default 1 s. */
  pollIntervalMs?: number;
  /** How long the server may hold a poll open while there is no job (`?wait`). Default 10 s; 0 turns long polling off. */
  longPollMs?: number;
  /** The longest pause between failed polls. Default 30 s. */
  maxPollBackoffMs?: number;
  /** The worker's name in the server's logs. Default `<hostname>:<pid>`. */
  worker?: string;
  logger?: Logger;
  /** The `retryBackoffMs` of a failed job. Default: `exponentialBackoff()`, 1 s, 2 s, 4 s, ... */
  retryBackoff?: RetryBackoff;
  /**
   * Wait for each report to be applied (the API answers 200 or 409) instead of taking its
   * 202 as soon as it is queued. Default false: a worker learns nothing it needs from the
   * wait, and the API's wait polls the instance (reads on every report).
   */
  awaitApplied?: boolean;
}

export interface JobWorker {
  readonly name: string;
  readonly type: string;
  /** Jobs whose handler or report is running now. */
  readonly activeJobs: number;
  /** Stops polling and resolves once every job in flight has been reported. Idempotent. */
  stop(): Promise<void>;
}

type Settlement =
  | { kind: 'complete'; variables: JsonObject }
  | { kind: 'throw-error'; errorCode: string; errorMessage: string; variables?: JsonObject }
  | { kind: 'fail'; retries: number; errorMessage: string; retryBackoffMs?: number };

const MAX_ERROR_MESSAGE = 2_000;
/** The most jobs one activation may ask for (the API's limit). */
const MAX_JOBS_PER_POLL = 100;
const REPORT_ATTEMPTS = 4;
const REPORT_RETRY_MS = 250;

/** Worth another try: no answer, throttled, or a server error. A 4xx (409: the job is gone) is final. */
const transient = (error: unknown): boolean =>
  error instanceof ApiUnreachableError || (error instanceof ApiError && (error.status >= 500 || error.status === 429));

function positive(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min) throw new RangeError(`${name} must be a number >= ${min}, got ${value}`);
  return value;
}

class Worker implements JobWorker {
  readonly name: string;
  readonly type: string;
  readonly #client: ApiClient;
  readonly #handler: JobHandler;
  readonly #max: number;
  readonly #timeoutMs: number;
  readonly #pollIntervalMs: number;
  readonly #longPollMs: number;
  readonly #maxPollBackoffMs: number;
  readonly #log: Logger;
  readonly #retryBackoff: RetryBackoff;
  readonly #awaitApplied: boolean;
  readonly #stop = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();
  /** Jobs the server handed out beyond what was asked for; started as slots free up. */
  #backlog: ActivatedJob[] = [];
  #slotFreed: (() => void) | null = null;
  readonly #loop: Promise<void>;

  constructor(options: WorkerOptions) {
    this.type = options.type;
    this.name = options.worker ?? `${hostname()}:${process.pid}`;
    this.#client = options.client;
    this.#handler = options.handler;
    this.#max = Math.floor(positive('maxJobsActive', options.maxJobsActive ?? 32, 1));
    this.#timeoutMs = Math.floor(positive('timeoutMs', options.timeoutMs ?? 300_000, 1_000));
    this.#pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? 1_000, 0);
    this.#longPollMs = positive('longPollMs', options.longPollMs ?? 10_000, 0);
    this.#maxPollBackoffMs = positive('maxPollBackoffMs', options.maxPollBackoffMs ?? 30_000, 0);
    this.#log = options.logger ?? jsonLogger;
    this.#retryBackoff = options.retryBackoff ?? exponentialBackoff();
    this.#awaitApplied = options.awaitApplied ?? false;
    // The loop catches what it expects; anything else is logged, never an unhandled rejection.
    this.#loop = this.#poll().catch((error: unknown) => this.#log.error('the poll loop stopped', { type: this.type, error: describeError(error) }));
  }

  get activeJobs(): number {
    return this.#inFlight.size;
  }

  async stop(): Promise<void> {
    if (!this.#stop.signal.aborted) {
      this.#log.info('stopping: no more polls, waiting for jobs in flight', { worker: this.name, type: this.type, activeJobs: this.#inFlight.size });
      this.#stop.abort();
    }
    await this.#loop;
    if (this.#backlog.length > 0) {
      // They were never started; the server offers them again when their lease ends.
      this.#log.warn('dropping activated jobs that never started', { jobIds: this.#backlog.map((j) => j.jobId) });
      this.#backlog = [];
    }
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  async #poll(): Promise<void> {
    const stopped = this.#stop.signal;
    let failures = 0;
    this.#log.info('polling for jobs', { worker: this.name, type: this.type, maxJobsActive: this.#max });
    while (!stopped.aborted) {
      const capacity = this.#max - this.#inFlight.size - this.#backlog.length;
      if (capacity <= 0) {
        await this.#nextFreeSlot();
        continue;
      }
      let jobs: ActivatedJob[];
      try {
        jobs = await this.#client.activateJobs(
          { type: this.type, maxJobs: Math.min(capacity, MAX_JOBS_PER_POLL), timeoutMs: this.#timeoutMs, worker: this.name },
          { signal: stopped, ...(this.#longPollMs > 0 ? { waitMs: this.#longPollMs } : {}) },
        );
        failures = 0;
      } catch (error) {
        if (stopped.aborted) break;
        const retryInMs = pollBackoff(failures++, this.#pollIntervalMs, this.#maxPollBackoffMs);
        this.#log.warn('polling for jobs failed; trying again', { type: this.type, error: describeError(error), failures, retryInMs });
        await this.#sleep(retryInMs);
        continue;
      }
      const valid = jobs.filter((job) => typeof job?.jobId === 'string' && typeof job.retries === 'number');
      if (valid.length < jobs.length) this.#log.error('the server sent jobs without jobId or retries; ignoring them', { count: jobs.length - valid.length });
      if (valid.length > capacity) this.#log.warn('the server sent more jobs than asked for', { asked: capacity, got: valid.length });
      this.#backlog.push(...valid);
      this.#pump();
      if (valid.length === 0) await this.#sleep(this.#pollIntervalMs);
    }
  }

  /** Starts backlog jobs while there are free slots. */
  #pump(): void {
    while (!this.#stop.signal.aborted && this.#inFlight.size < this.#max && this.#backlog.length > 0) {
      const job = this.#backlog.shift() as ActivatedJob;
      const run: Promise<void> = this.#process(job)
        .catch((error: unknown) => this.#log.error('job processing broke', { jobId: job.jobId, error: describeError(error) }))
        .finally(() => {
          this.#inFlight.delete(run);
          this.#pump();
          this.#slotFreed?.();
        });
      this.#inFlight.add(run);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#stop.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#stop.signal.addEventListener('abort', done, { once: true });
    });
  }

  #nextFreeSlot(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.#slotFreed = null;
        this.#stop.signal.removeEventListener('abort', done);
        resolve();
      };
      this.#slotFreed = done;
      this.#stop.signal.addEventListener('abort', done, { once: true });
    });
  }

  async #process(job: ActivatedJob): Promise<void> {
    const settlement = await this.#settle(job);
    // One key for every attempt of this report: a retry after a lost answer applies once.
    const idempotencyKey = randomUUID();
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.#send(job, settlement, idempotencyKey);
        this.#log.debug(`job ${settlement.kind}`, { jobId: job.jobId, result: result.status });
        return;
      } catch (error) {
        if (attempt < REPORT_ATTEMPTS && transient(error)) {
          await new Promise((resolve) => setTimeout(resolve, REPORT_RETRY_MS * 2 ** (attempt - 1)));
          continue;
        }
        // A 404/409 means the job is gone: canceled with its instance, or its lease ran out and another worker has it.
        this.#log.warn(`could not ${settlement.kind} job`, { jobId: job.jobId, error: describeError(error), attempts: attempt });
        return;
      }
    }
  }

  /** Runs the handler and turns what it did into the report to send. Never throws. */
  async #settle(job: ActivatedJob): Promise<Settlement> {
    try {
      const variables = (await this.#handler(job, { signal: AbortSignal.timeout(this.#timeoutMs), logger: this.#log, worker: this.name })) ?? {};
      if (!isJsonObject(variables)) throw new TypeError(`the handler returned ${Array.isArray(variables) ? 'an array' : typeof variables}, not an object of variables`);
      return { kind: 'complete', variables };
    } catch (error) {
      const errorMessage = describeError(error).slice(0, MAX_ERROR_MESSAGE);
      if (error instanceof BpmnError) return { kind: 'throw-error', errorCode: error.code, errorMessage, ...(error.variables ? { variables: error.variables } : {}) };
      const retries = Math.max(0, Math.floor(error instanceof JobFailure && error.retries !== undefined ? error.retries : job.retries - 1));
      const backoff = error instanceof JobFailure && error.retryBackoffMs !== undefined ? error.retryBackoffMs : retries > 0 ? this.#retryBackoff(job, error) : 0;
      this.#log.warn('job failed', { jobId: job.jobId, type: job.type, error: errorMessage, retries, retryBackoffMs: backoff });
      return { kind: 'fail', retries, errorMessage, ...(backoff > 0 ? { retryBackoffMs: Math.round(backoff) } : {}) };
    }
  }

  #send(job: ActivatedJob, settlement: Settlement, idempotencyKey: string): Promise<CommandResult> {
    const options = { idempotencyKey, ...(this.#awaitApplied ? {} : { waitMs: 0 }) };
    switch (settlement.kind) {
      case 'complete':
        return this.#client.completeJob(job.jobId, settlement.variables, options);
      case 'throw-error': {
        const { kind: _kind, ...request } = settlement;
        return this.#client.throwError(job.jobId, request, options);
      }
      case 'fail': {
        const { kind: _kind, ...request } = settlement;
        return this.#client.failJob(job.jobId, request, options);
      }
    }
  }

}

/**
 * Starts a job worker; it polls until `stop()`.
 *
 * @example
 * const worker = createWorker({
 *   client: createClient({ url: 'http://localhost:3000' }),
 *   type: 'credit-check',
 *   maxJobsActive: 8,
 *   handler: async (job) => ({ creditScore: await score(job.variables.customer) }),
 * });
 * process.once('SIGTERM', () => void worker.stop());
 */
export function createWorker(options: WorkerOptions): JobWorker {
  return new Worker(options);
}
