/**
 * Errors of the client and the job worker. The client's are what went wrong talking
 * to the API; `BpmnError` and `JobFailure` are what a job handler throws to say how
 * its job ended.
 */
import type { ErrorDetail, JsonObject } from './types.ts';

/** Base of the client's errors. */
export class ClientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The API answered with an error status (4xx/5xx) or with a body that is not the JSON
 * it promised. `code` and `details` come from `{ "error": { code, message, details } }`.
 *
 * @example try { await client.getInstance('nope') } catch (e) { if (e instanceof ApiError && e.status === 404) ... }
 */
export class ApiError extends ClientError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

/** No answer from the API: connection refused, unknown host, TLS failure, or a timeout. */
export class ApiUnreachableError extends ClientError {
  constructor(
    readonly url: string,
    /** What failed underneath, e.g. `ECONNREFUSED` or `timeout`. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot reach ${url}: ${reason}`, options);
  }
}

/**
 * Thrown by a job handler: the job ends with a BPMN error that an error boundary
 * event (or error event subprocess) with the same code catches; an incident if none does.
 * `variables` are set where it is caught.
 *
 * @example throw new BpmnError('CUSTOMER_UNKNOWN', `no customer ${id}`, { customerId: id })
 */
export class BpmnError extends Error {
  constructor(
    readonly code: string,
    message = code,
    readonly variables?: JsonObject,
  ) {
    super(message);
    this.name = 'BpmnError';
  }
}

/**
 * Thrown by a job handler to fail its job with explicit retries or backoff. Any other
 * exception fails it with `retries - 1` and the worker's backoff; `retries: 0` raises
 * an incident at once (use it for failures a retry cannot fix, like a bad URL).
 *
 * @example throw new JobFailure('url must be http or https', { retries: 0 })
 */
export class JobFailure extends Error {
  readonly retries: number | undefined;
  readonly retryBackoffMs: number | undefined;

  constructor(message: string, options: { retries?: number; retryBackoffMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'JobFailure';
    this.retries = options.retries;
    this.retryBackoffMs = options.retryBackoffMs;
  }
}
