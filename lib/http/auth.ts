/**
 * Who may call the API. On AWS, API Gateway's JWT authorizer checks the token before
 * the Lambda runs; with `requireJwt` the handler also refuses a /v1 request that carries
 * no verified claims (a route deployed without the authorizer fails closed). With an
 * `apiToken` (local runs, simple set-ups), /v1 needs `Authorization: Bearer <token>`,
 * compared in constant time. A refusal is a 401 that says nothing else.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ERROR_CODES, HttpError } from './errors.ts';

export interface AccessConfig {
  /** When set, every non-public route needs `Authorization: Bearer <apiToken>`. */
  apiToken?: string | undefined;
  /** When true, every non-public route needs claims from API Gateway's JWT authorizer. */
  requireJwt?: boolean | undefined;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Constant time in the token's content (both sides are hashed to the same length first). */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function jwtClaims(event: APIGatewayProxyEventV2): Record<string, unknown> | null {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer;
  const claims = authorizer?.jwt?.claims;
  return claims && typeof claims === 'object' && Object.keys(claims).length > 0 ? claims : null;
}

export function checkAccess(event: APIGatewayProxyEventV2, headers: Record<string, string>, config: AccessConfig): void {
  const refuse = (): never => {
    throw new HttpError(401, ERROR_CODES.unauthorized, 'missing or invalid credentials', [], { 'www-authenticate': 'Bearer' });
  };
  if (config.requireJwt && !jwtClaims(event)) refuse();
  if (config.apiToken) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headers['authorization'] ?? '');
    if (!match || !sameToken(match[1] as string, config.apiToken)) refuse();
  }
}
