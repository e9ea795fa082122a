/** Building answers: JSON bodies, and the status a command's outcome maps to. */
import type { CommandOptions, CommandOutcome } from '../app/service/commands.ts';
import { ERROR_CODES, HttpError } from './errors.ts';
import type { HttpRequest, HttpResponse, ResponseSpec } from './router.ts';
import { CommandAccepted, CommandApplied, ErrorBody, IDEMPOTENCY_KEY } from './schemas.ts';

export const json = (status: number, body: unknown, headers?: Record<string, string>): HttpResponse => ({ status, body, ...(headers ? { headers } : {}) });
export const ok = (body: unknown): HttpResponse => json(200, body);

/** applied -> 200 (201 for a start); still pending -> 202. A rejection was thrown (409). */
export function commandResponse(outcome: CommandOutcome, appliedStatus = 200): HttpResponse {
  return json(outcome.status === 'applied' ? appliedStatus : 202, outcome);
}

/** Keeps a margin so the answer leaves before the Lambda times out. */
const MARGIN_MS = 1500;

/** `?wait=` and the Idempotency-Key header of a command request. */
export function commandOptions(request: HttpRequest<unknown, { wait: number }, unknown>): CommandOptions {
  const key = request.headers['idempotency-key'];
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new HttpError(400, ERROR_CODES.invalidInput, 'invalid Idempotency-Key', [{ in: 'header', path: 'idempotency-key', message: '1-128 letters, digits, _ . : -' }]);
  }
  const budget = request.remainingMs === null ? request.query.wait : Math.max(0, Math.min(request.query.wait, request.remainingMs - MARGIN_MS));
  return { idempotencyKey: key, waitMs: budget };
}

export const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  description: 'Becomes the command id: sending the same request again with the same key applies it once and answers with the first outcome. Use a key once per command (a UUID): the commands queue drops any message whose key it saw in the last 5 minutes.',
};

/** The answers every command route documents. */
export function commandResponses(applied: { status: number; description: string } = { status: 200, description: 'applied' }): Record<number, ResponseSpec> {
  return {
    [applied.status]: { description: applied.description, schema: CommandApplied },
    202: { description: 'queued; not applied within `wait` (it will be)', schema: CommandAccepted },
    400: { description: 'invalid input', schema: ErrorBody },
    404: { description: 'the instance does not exist', schema: ErrorBody },
    409: { description: "refused in the instance's current state (e.g. the job is not open, the instance ended): code 'not-open', 'wrong-state', ...", schema: ErrorBody },
  };
}

export const errors = (...statuses: Array<[number, string]>): Record<number, ResponseSpec> =>
  Object.fromEntries(statuses.map(([status, description]) => [status, { description, schema: ErrorBody }]));
