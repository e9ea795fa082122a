/**
 * The OpenAPI 3.1 document, generated from the route table and the zod schemas the
 * routes validate with (`z.toJSONSchema`), so it cannot drift from what the API does.
 * OpenAPI 3.1 schemas are JSON Schema 2020-12, zod's default target.
 * https://spec.openapis.org/oas/v3.1.0
 */
import * as z from 'zod';
import type { Route } from './router.ts';
import { registry } from './schemas.ts';

type JsonSchema = Record<string, unknown>;

const ref = (id: string): JsonSchema => ({ $ref: `#/components/schemas/${id}` });

/** A schema: a reference when it is a named component, inline otherwise. */
function schemaOf(schema: z.ZodType): JsonSchema {
  const id = registry.get(schema)?.id;
  if (id) return ref(id);
  return strip(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
}

function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

function components(): Record<string, JsonSchema> {
  const out = z.toJSONSchema(registry, { io: 'input', unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(Object.entries(out.schemas).map(([id, schema]) => [id, strip(schema)]));
}

function parameters(route: Route): JsonSchema[] {
  const list: JsonSchema[] = [];
  const add = (where: 'path' | 'query', object: z.ZodType | undefined) => {
    if (!object || !(object instanceof z.ZodObject)) return;
    for (const [name, field] of Object.entries(object.shape as Record<string, z.ZodType>)) {
      const schema = schemaOf(field);
      const description = typeof schema['description'] === 'string' ? schema['description'] : undefined;
      const required = where === 'path' || !field.safeParse(undefined).success;
      list.push({ name, in: where, required, schema, ...(description ? { description } : {}) });
    }
  };
  add('path', route.params);
  add('query', route.query);
  for (const header of route.headers ?? []) list.push({ name: header.name, in: 'header', required: false, description: header.description, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' } });
  return list;
}

function operation(route: Route, secured: boolean): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const content = spec.schema ? { 'application/json': { schema: schemaOf(spec.schema) } } : spec.contentType ? { [spec.contentType]: { schema: { type: 'string' } } } : undefined;
    responses[status] = { description: spec.description, ...(content ? { content } : {}) };
  }
  if (secured) responses['401'] = { description: 'missing or invalid credentials', content: { 'application/json': { schema: ref('Error') } } };
  responses['500'] = { description: 'internal error (details are in the log, never in the answer)', content: { 'application/json': { schema: ref('Error') } } };
  const body = route.body && 'xml' in route.body
    ? { required: true, content: { 'application/xml': { schema: { type: 'string', description: 'BPMN 2.0 XML, at most 2 MB' } }, 'text/xml': { schema: { type: 'string' } } } }
    : route.body ? { required: false, content: { 'application/json': { schema: schemaOf(route.body.json) } } } : undefined;
  const params = parameters(route);
  return {
    operationId: route.operationId, summary: route.summary, tags: [route.tag],
    ...(route.description ? { description: route.description } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses,
    ...(secured ? {} : { security: [] }),
  };
}

export function openApiDocument(routes: Route[], info: { version: string; serverUrl?: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = (paths[route.path] ??= {});
    path[route.method.toLowerCase()] = operation(route, !route.public);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'serverless-bpmn',
      version: info.version,
      description: 'A BPMN 2.0 engine (Camunda 8 / zeebe models) on AWS Lambda, SQS and DynamoDB. Commands are queued and applied one transition at a time; a command route waits up to `?wait=` ms for the outcome (200/201 applied, 202 still queued, 409 refused). JSON everywhere except the BPMN upload. Errors: `{ "error": { code, message, details } }`.',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    security: [{ bearer: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components(),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A JWT from the configured issuer (on AWS), or the API token (API_TOKEN)' } },
    },
  };
}
