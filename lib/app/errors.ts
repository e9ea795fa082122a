/**
 * Application errors: what went wrong, as data the handlers can map (to retries, 4xx, DLQ).
 * Every error is of one class (`classify`, the one place that decides it):
 * - `client`: the request is at fault (ClientError: not found, refused, conflicting, too large);
 *   retrying it unchanged changes nothing; the API answers 4xx.
 * - `transient`: worth retrying later (TransientError, or a throttled / timed-out / 5xx call of
 *   an AWS SDK client, which marks those with `$retryable` or `$metadata.httpStatusCode`);
 *   the API answers 503, a queue handler lets the message come back.
 * - `permanent`: anything else (a bug, a broken invariant); the API answers 500 and logs it.
 */
import type { Rejection } from '../core/commands.ts';
import type { ModelProblem } from '../core/documents.ts';

export class AppError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Worth retrying later: contention that did not settle, throttling, timeouts. */
export class TransientError extends AppError {}

/** The request is at fault (its target does not exist, it breaks a rule): retrying it unchanged is pointless. */
export class ClientError extends AppError {}

/** A timer fired before its due time: retried later (TransientError); `rejection` is the core's NOT_DUE. */
export class FiredEarly extends TransientError {
  constructor(message: string, readonly rejection: Rejection) {
    super(message);
  }
}

/** The BPMN document was refused at deploy; `problems` names each element and why. */
export class DeployRefused extends ClientError {
  constructor(readonly problems: ModelProblem[]) {
    super(`deploy refused: ${problems.length} problem(s): ${problems.slice(0, 3).map((p) => `${p.elementId ?? 'document'}: ${p.message}`).join('; ')}`);
  }
}

export class NotFound extends ClientError {
  constructor(readonly what: string, readonly id: string) {
    super(`${what} '${id}' not found`);
  }
}

export const ERROR_CLASSES = ['client', 'transient', 'permanent'] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** AWS SDK errors of throttling, timeouts and 5xx (by their shape: the app imports no SDK). */
function retryableByItsClient(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } } | null | undefined;
  if (e?.$retryable) return true;
  const status = e?.$metadata?.httpStatusCode ?? 0;
  return status >= 500 || ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'TimeoutError', 'InternalServerError'].includes(e?.name ?? '');
}

/**
 * The class of any error (see the top of this file).
 *
 * @example classify(new NotFound('job', 'i.1')) // 'client'
 */
export function classify(error: unknown): ErrorClass {
  if (error instanceof ClientError) return 'client';
  if (error instanceof TransientError || retryableByItsClient(error)) return 'transient';
  return 'permanent';
}
