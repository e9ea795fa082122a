/**
 * Routes as data: method, path template, the zod schemas of its parameters, query and
 * body, its responses, and the handler. The same table serves requests (`Router.match`)
 * and documents them (`openapi.ts`).
 *
 * @example
 * route({ method: 'GET', path: '/v1/instances/{id}', params: InstanceParam, ..., handle: async ({ params }) => ok(await getInstance(deps, params.id)) })
 */
import type { z } from 'zod';

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

/** A request body: JSON checked by a schema, or a BPMN document (XML text). */
export type BodySpec = { json: z.ZodType } | { xml: true } | undefined;
type BodyOf<B extends BodySpec> = B extends { json: infer S extends z.ZodType } ? z.output<S> : B extends { xml: true } ? string : undefined;

export interface HttpRequest<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Lower-case header names. */
  headers: Record<string, string>;
  requestId: string;
  /** Time left before the Lambda times out (null when unknown). */
  remainingMs: number | null;
}

export interface HttpResponse {
  status: number;
  /** JSON-serialisable, or `{ text, contentType }` for anything else. */
  body?: unknown;
  text?: { value: string; contentType: string };
  /** Bytes (sent base64-encoded: API Gateway decodes them), e.g. the web page's files. */
  bytes?: { value: Uint8Array; contentType: string };
  headers?: Record<string, string>;
}

export interface ResponseSpec {
  description: string;
  /** The JSON body's schema (none: no body, or `contentType` says what it is). */
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteDef<P extends z.ZodType, Q extends z.ZodType, B extends BodySpec> {
  method: Method;
  /** `/v1/jobs/{jobId}/complete`: `{name}` matches one path segment. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Reachable without credentials (health, the OpenAPI document). */
  public?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** Request headers worth documenting (Idempotency-Key). */
  headers?: Array<{ name: string; description: string }>;
  responses: Record<number, ResponseSpec>;
  // A method signature (bivariant): routes with different schemas share one table.
  handle(request: HttpRequest<z.output<P>, z.output<Q>, BodyOf<B>>): Promise<HttpResponse>;
}

export type Route = RouteDef<z.ZodType, z.ZodType, BodySpec>;

export function route<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends BodySpec = undefined>(def: RouteDef<P, Q, B>): Route {
  return def as unknown as Route;
}

export type Match =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: Method[] }
  | { kind: 'not-found' };

interface Compiled {
  route: Route;
  segments: Array<{ literal: string } | { param: string }>;
}

function compile(route: Route): Compiled {
  const segments = route.path.split('/').slice(1).map((s) => {
    const param = /^\{(\w+)\}$/.exec(s)?.[1];
    return param ? { param } : { literal: s };
  });
  return { route, segments };
}

function matchPath(compiled: Compiled, parts: string[]): Record<string, string> | null {
  if (compiled.segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = compiled.segments[i] as Compiled['segments'][number];
    const part = parts[i] as string;
    if ('literal' in segment) {
      if (segment.literal !== part) return null;
    } else {
      if (part === '') return null;
      params[segment.param] = part;
    }
  }
  return params;
}

export class Router {
  private readonly compiled: Compiled[];

  constructor(readonly routes: Route[]) {
    this.compiled = routes.map(compile);
  }

  /** The route for a method and a raw path; path parameters are percent-decoded. */
  match(method: string, rawPath: string): Match {
    const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
    let parts: string[];
    try {
      parts = path.split('/').slice(1).map(decodeURIComponent);
    } catch {
      return { kind: 'not-found' };
    }
    const allow: Method[] = [];
    for (const c of this.compiled) {
      const params = matchPath(c, parts);
      if (!params) continue;
      if (c.route.method === method) return { kind: 'found', route: c.route, params };
      allow.push(c.route.method);
    }
    return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
  }
}
