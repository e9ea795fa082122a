/**
 * Lambda: API Gateway HTTP API (payload 2.0) -> the router in lib/http.
 * Environment: the runtime's (TABLE_NAME, queue URLs), plus API_TOKEN (optional: every
 * /v1 route then needs `Authorization: Bearer <token>`) and REQUIRE_JWT=true (on AWS:
 * /v1 requests must carry claims from the HTTP API's JWT authorizer), UI_DIR (the built web
 * page, default ui/dist under the task root; served at GET / and /assets/*).
 */
import { join } from 'node:path';
import middy from '@middy/core';
import { edge } from '../lib/composition/edge.ts';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { runtimeFromEnv } from '../lib/composition/aws.ts';
import { createApi } from '../lib/http/api.ts';
import { assetDir } from '../lib/http/assets.ts';

const api = createApi(runtimeFromEnv().service, {
  apiToken: process.env['API_TOKEN'] || undefined,
  requireJwt: process.env['REQUIRE_JWT'] === 'true',
  // The web page, packaged with this function (serverless.yml: package.patterns ui/dist/**).
  ui: assetDir(process.env['UI_DIR'] || join(process.env['LAMBDA_TASK_ROOT'] ?? process.cwd(), 'ui', 'dist')),
});

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(edge())
  .handler((event, context) => api(event, { remainingMs: context.getRemainingTimeInMillis() }));
