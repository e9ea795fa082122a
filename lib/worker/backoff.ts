/**
 * How long a failed job waits before it is offered again, and how long the worker
 * waits before polling again after a failed poll.
 */
import type { ActivatedJob } from './types.ts';

/** Milliseconds before a job that just failed is offered again, given the retries it had. */
export type RetryBackoff = (job: ActivatedJob, error: unknown) => number;

export interface ExponentialBackoffOptions {
  /** The wait after the first failure. Default 1 s. */
  initialMs?: number;
  /** Default 2. */
  factor?: number;
  /** Default 5 min. */
  maxMs?: number;
  /** The retries jobs start with (`zeebe:taskDefinition retries`, 3 unless the model says). */
  retries?: number;
}

/**
 * Exponential in the retries used so far, read from the retries that remain: with 3
 * retries, the first failure waits `initialMs`, the second `initialMs * factor`, the
 * third leaves 0 retries (an incident: nothing to wait for, 0).
 *
 * @example exponentialBackoff({ initialMs: 1000 })({ retries: 2, ... }, error) // 2000
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): RetryBackoff {
  const { initialMs = 1_000, factor = 2, maxMs = 300_000, retries = 3 } = options;
  return (job) => {
    const remaining = job.retries - 1;
    if (remaining <= 0) return 0;
    const failures = Math.max(1, retries - remaining);
    return Math.min(maxMs, Math.round(initialMs * factor ** (failures - 1)));
  };
}

/**
 * The wait after `failures` failed polls in a row: doubling from `baseMs` up to `maxMs`,
 * with jitter (half to all of it) so that many workers do not come back in step.
 */
export function pollBackoff(failures: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, Math.max(1, baseMs) * 2 ** Math.min(failures, 30));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
