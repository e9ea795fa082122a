/**
 * Vitest global setup: starts DynamoDB Local and fauxqs once for the whole run and
 * stops them (by their own handles) at the end. Test files create their own table and
 * queues (see test/integration/runtime.ts), so files can run in parallel.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDb, startSqs, type Emulator } from '../../lib/local/emulators.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sqsEndpoint: string;
  }
}

let started: Emulator[] = [];

export async function setup(project: TestProject): Promise<void> {
  const [dynamodb, sqs] = await Promise.all([startDynamoDb(), startSqs()]);
  started = [dynamodb, sqs];
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
}

export async function teardown(): Promise<void> {
  await Promise.all(started.map((e) => e.stop()));
  started = [];
}
