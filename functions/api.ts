/**
 * Lambda: API Gateway HTTP API (payload 2.0) -> the router in lib/http.
 * Environment: the runtime's (TABLE_NAME, queue URLs), plus API_TOKEN (optional: every
 * /v1 route then needs `Authorization: Bearer <token>`) and REQUIRE_JWT=true (on AWS:
 * /v1 requests must carry claims from the HTTP API's JWT authorizer).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { runtimeFromEnv } from '../lib/adapters/wiring.ts';
import { createApi, serviceDeps } from '../lib/http/api.ts';

const api = createApi(serviceDeps(runtimeFromEnv()), {
  apiToken: process.env['API_TOKEN'] || undefined,
  requireJwt: process.env['REQUIRE_JWT'] === 'true',
});

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .handler((event, context) => api(event, { remainingMs: context.getRemainingTimeInMillis() }));
