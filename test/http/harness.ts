/**
 * The API handler on the emulators: a runtime of its own (table + queues), the commands
 * handler fed by a local SQS poller (as Lambda's event source mapping would), and real
 * API Gateway HTTP API v2 events built by `apiEvent`.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { processBatch } from '../../lib/app/batch.ts';
import { createApi, type ApiConfig, type ApiHandler } from '../../lib/http/api.ts';
import { SqsPoller } from '../../lib/local/poller.ts';
import { testRuntime, type TestRuntime } from '../integration/runtime.ts';

export interface EventOptions {
  body?: string | Buffer | object;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** Send the body base64-encoded (as API Gateway does for binary media). */
  base64?: boolean;
  /** Claims of API Gateway's JWT authorizer. */
  claims?: Record<string, string>;
}

/** A real API Gateway HTTP API (payload format 2.0) event. */
export function apiEvent(method: string, path: string, options: EventOptions = {}): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { host: 'api.example.test', 'user-agent': 'vitest', ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.body !== undefined) {
    const raw = typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body);
    if (typeof options.body === 'object' && !Buffer.isBuffer(options.body)) headers['content-type'] ??= 'application/json';
    const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
    headers['content-length'] ??= String(bytes.length);
    body = options.base64 ? bytes.toString('base64') : bytes.toString('utf8');
  }
  const query = options.query ?? {};
  const rawQueryString = new URLSearchParams(query).toString();
  const now = new Date();
  const event: APIGatewayProxyEventV2 = {
    version: '2.0', routeKey: '$default', rawPath: path, rawQueryString, headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '123456789012', apiId: 'api', domainName: 'api.example.test', domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: randomUUID(), routeKey: '$default', stage: '$default', time: now.toUTCString(), timeEpoch: now.getTime(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: options.base64 === true,
  };
  if (options.claims) Object.assign(event.requestContext, { authorizer: { jwt: { claims: options.claims, scopes: null } } });
  return event;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions read answers freely
  body: any;
}

export interface TestApi {
  rt: TestRuntime;
  api: ApiHandler;
  call(method: string, path: string, options?: EventOptions): Promise<Answer>;
  stop(): Promise<void>;
}

export async function startApi(config: ApiConfig = {}): Promise<TestApi> {
  const rt = await testRuntime();
  const api = createApi(rt.service, config);
  const poller = new SqsPoller(rt.sqs, rt.queues.commands, (event) => processBatch(rt.transition, event.Records), { concurrency: 2, waitTimeSeconds: 1 }).start();
  const call = async (method: string, path: string, options: EventOptions = {}): Promise<Answer> => {
    const result = await api(apiEvent(method, path, options));
    const text = result.body ?? '';
    const type = String(result.headers?.['content-type'] ?? '');
    return { status: result.statusCode ?? 200, headers: result.headers as Record<string, string>, text, body: type.startsWith('application/json') && text ? JSON.parse(text) : text };
  };
  return { rt, api, call, stop: () => poller.stop() };
}

export { until } from '../support/wait.ts';
