/**
 * The application over AWS (DynamoDB, SQS, EventBridge Scheduler): what the Lambda
 * handlers (functions/), the local runtime on the emulators and the integration tests run.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsConfig } from '../adapters/config.ts';
import { DynamoInstanceStore } from '../adapters/dynamodb/instances.ts';
import { jsonLogger } from '../adapters/logger.ts';
import { SqsDeadLetters } from '../adapters/sqs/dead-letters.ts';
import { SqsInboundEvents } from '../adapters/sqs/inbound-events.ts';
import { adapterConfigFromEnv, createAwsAdapters, type AdapterConfig, type AwsAdapters } from '../adapters/wiring.ts';
import type { Purger } from '../app/retention.ts';
import type { ForwardTarget } from '../bridge/forward.ts';
import type { Logger } from '../ports.ts';
import { composeApplication, type AppOptions, type Application } from './application.ts';

export type RuntimeConfig = AdapterConfig & Omit<AppOptions, 'sleep'>;

/** The AWS adapters and the application composed over them. */
export interface Runtime extends AwsAdapters, Application {}

export function createRuntime(config: RuntimeConfig): Runtime {
  const adapters = createAwsAdapters(config);
  const options: AppOptions = {
    ...(config.publishLifecycle !== undefined ? { publishLifecycle: config.publishLifecycle } : {}),
    ...(config.defaultEventTtlMs !== undefined ? { defaultEventTtlMs: config.defaultEventTtlMs } : {}),
  };
  return { ...adapters, ...composeApplication(adapters, options) };
}

/**
 * The runtime from the Lambda environment: the adapters' variables (lib/adapters/wiring.ts),
 * PUBLISH_LIFECYCLE=true and EVENTS_DEFAULT_TTL_MS.
 */
export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env): Runtime {
  return createRuntime({
    ...adapterConfigFromEnv(env),
    publishLifecycle: env['PUBLISH_LIFECYCLE'] === 'true',
    defaultEventTtlMs: Number(env['EVENTS_DEFAULT_TTL_MS'] ?? 0),
  });
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** JSON log lines at LOG_LEVEL, for the handlers that need no runtime (the bridges, retention). */
export function loggerFromEnv(): Logger {
  return jsonLogger();
}

/** Where the inbound RabbitMQ bridge forwards events: the events queue (EVENTS_QUEUE_URL) and its DLQ (EVENTS_DLQ_URL). */
export function bridgeTargetFromEnv(env: NodeJS.ProcessEnv = process.env): ForwardTarget {
  const sqs = new SQSClient(awsConfig('SQS'));
  return { queue: new SqsInboundEvents(sqs, required(env, 'EVENTS_QUEUE_URL')), deadLetters: new SqsDeadLetters(sqs, required(env, 'EVENTS_DLQ_URL')) };
}

/** What removes the rest of an instance whose head expired (TABLE_NAME). */
export function purgerFromEnv(env: NodeJS.ProcessEnv = process.env): Purger {
  return new DynamoInstanceStore(new DynamoDBClient(awsConfig('DYNAMODB')), { tableName: env['TABLE_NAME'] ?? '' });
}
