/**
 * What the API's use cases refuse, as data: the HTTP layer maps each class to a status
 * (NotFound 404, Conflict 409, InvalidRequest 400) and shows the message; anything
 * else is a 500 whose details stay in the log.
 */
import type { RejectionCode } from '../../core/commands.ts';
import { ClientError } from '../errors.ts';

export { DeployRefused, NotFound } from '../errors.ts';

/** The request is well-formed but the target is in the wrong state (a job not open, an instance that ended). */
export class Conflict extends ClientError {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** The engine applied the command and refused it; `rejection` is the core's code. */
export class CommandRejected extends Conflict {
  constructor(readonly rejection: RejectionCode, message: string, readonly commandId: string) {
    super(REJECTION_CODES[rejection] ?? 'rejected', message);
  }
}

/** The command would not fit what the engine can queue or store (lib/app/limits.ts): 413, nothing queued. */
export class TooLarge extends ClientError {
  constructor(message: string, readonly bytes: number, readonly limit: number) {
    super(message);
  }
}

/** Input that passed the schema but makes no sense (a filter missing, an id of the wrong shape). */
export class InvalidRequest extends ClientError {
  constructor(message: string, readonly details: Array<{ path: string; message: string }> = []) {
    super(message);
  }
}

/** The API's error codes for the core's rejection codes. */
const REJECTION_CODES: Record<RejectionCode, string> = {
  NOT_FOUND: 'not-open',
  INVALID_STATE: 'wrong-state',
  INVALID_COMMAND: 'invalid-command',
  NOT_DUE: 'not-due',
  DUPLICATE: 'duplicate',
  TOO_LARGE: 'too-large',
};
