/** Application errors: what went wrong, as data the handlers can map (to retries, 4xx, DLQ). */
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

/** A timer fired before its due time: retried later (TransientError); `rejection` is the core's NOT_DUE. */
export class FiredEarly extends TransientError {
  constructor(message: string, readonly rejection: Rejection) {
    super(message);
  }
}

/** The BPMN document was refused at deploy; `problems` names each element and why. */
export class DeployRefused extends AppError {
  constructor(readonly problems: ModelProblem[]) {
    super(`deploy refused: ${problems.length} problem(s): ${problems.slice(0, 3).map((p) => `${p.elementId ?? 'document'}: ${p.message}`).join('; ')}`);
  }
}

export class NotFound extends AppError {
  constructor(readonly what: string, readonly id: string) {
    super(`${what} '${id}' not found`);
  }
}
