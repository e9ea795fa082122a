/**
 * Errors -> HTTP answers, always `{ "error": { code, message, details } }`:
 * 4xx say what is wrong; a 5xx says nothing about internals (the error is logged
 * with the request id, which the answer carries in `x-request-id`).
 */
import type { z } from 'zod';
import { AppError, classify, DeployRefused, NotFound, type ClientError } from '../app/errors.ts';
import { CommandRejected, Conflict, InvalidRequest, TooLarge } from '../app/service/errors.ts';
import type { Logger } from '../ports.ts';
import type { HttpResponse } from './router.ts';

export const ERROR_CODES = {
  invalidInput: 'invalid-input',
  invalidJson: 'invalid-json',
  invalidBpmn: 'invalid-bpmn',
  unauthorized: 'unauthorized',
  notFound: 'not-found',
  methodNotAllowed: 'method-not-allowed',
  tooLarge: 'too-large',
  unsupportedMediaType: 'unsupported-media-type',
  unavailable: 'unavailable',
  internal: 'internal',
} as const;

export type ErrorDetail = Record<string, string | number | null>;

/** An answer decided by the HTTP layer itself (routing, auth, parsing). */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: ErrorDetail[] = [], readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorResponse(status: number, code: string, message: string, details: ErrorDetail[] = [], headers: Record<string, string> = {}): HttpResponse {
  return { status, body: { error: { code, message, details } }, headers };
}

/** zod issues -> `[{ in, path, message }]`, path dotted (`variables.customer`). */
export function issuesToDetails(where: string, issues: z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.slice(0, 20).map((issue) => ({ in: where, path: issue.path.map(String).join('.'), message: issue.message }));
}

/** The class of the error (lib/app/errors.ts `classify`) decides: client -> 4xx, transient -> 503, permanent -> 500. */
export function toResponse(error: unknown, logger: Logger, requestId: string): HttpResponse {
  if (error instanceof HttpError) return errorResponse(error.status, error.code, error.message, error.details, error.headers);
  const errorClass = classify(error);
  if (errorClass === 'client') return clientResponse(error as ClientError);
  if (errorClass === 'transient') {
    logger.warn('request failed (transient)', { requestId, error: describe(error) });
    return errorResponse(503, ERROR_CODES.unavailable, 'temporarily unavailable; retry', [], { 'retry-after': '1' });
  }
  logger.error('request failed', { requestId, error: describe(error), kind: error instanceof AppError ? error.name : 'unexpected' });
  return errorResponse(500, ERROR_CODES.internal, 'internal error');
}

/** A client error's status by its kind: 400, 404, 409 or 413. */
function clientResponse(error: ClientError): HttpResponse {
  if (error instanceof DeployRefused) {
    const details = error.problems.map((p) => ({ elementId: p.elementId, message: p.message, line: p.line ?? null }));
    return errorResponse(400, ERROR_CODES.invalidBpmn, `the BPMN document was refused: ${error.problems.length} problem(s)`, details);
  }
  if (error instanceof NotFound) return errorResponse(404, ERROR_CODES.notFound, error.message);
  if (error instanceof TooLarge) return errorResponse(413, ERROR_CODES.tooLarge, error.message, [{ in: 'body', path: '', message: `${error.bytes} bytes; the limit is ${error.limit}` }]);
  if (error instanceof CommandRejected && error.rejection === 'TOO_LARGE') return errorResponse(413, error.code, error.message);
  if (error instanceof Conflict) return errorResponse(409, error.code, error.message);
  if (error instanceof InvalidRequest) return errorResponse(400, ERROR_CODES.invalidInput, error.message, error.details.map((d) => ({ in: 'query', ...d })));
  return errorResponse(400, ERROR_CODES.invalidInput, error.message);
}

function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error) };
  return { name: error.name, message: error.message, stack: error.stack };
}
