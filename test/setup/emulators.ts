/**
 * Vitest global setup: starts DynamoDB Local and fauxqs once for the whole run, and
 * RabbitMQ when none is running, and stops what it started (by their own handles) at
 * the end. Test files create their own table, queues and exchanges (see
 * test/integration/runtime.ts, test/bridge/helpers.ts), so files can run in parallel.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDb, startSqs, type Emulator } from '../../lib/local/emulators.ts';
import { ensureRabbitMq } from './rabbitmq.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sqsEndpoint: string;
    /** The RabbitMQ broker of the bridge tests (guest on localhost unless RABBITMQ_URL says otherwise). */
    amqpUrl: string;
  }
}

let started: Emulator[] = [];

export async function setup(project: TestProject): Promise<void> {
  const results = await Promise.allSettled([
    startDynamoDb(), startSqs(), ensureRabbitMq().then((b): Emulator => ({ endpoint: b.url, stop: () => b.stop() })),
  ]);
  started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await teardown(); // stop whatever did start, then fail loudly
    throw failed.reason;
  }
  const [dynamodb, sqs, rabbitmq] = started as [Emulator, Emulator, Emulator];
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
  project.provide('amqpUrl', rabbitmq.endpoint);
}

export async function teardown(): Promise<void> {
  await Promise.all(started.map((e) => e.stop()));
  started = [];
}
