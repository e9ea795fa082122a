/**
 * A fresh runtime per test file on the shared emulators: its own table and queues,
 * real SDK clients over HTTP. Nothing here mocks AWS.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { ensureTable } from '../../lib/adapters/dynamodb/table.ts';
import { createRuntime, type Runtime, type RuntimeConfig } from '../../lib/composition/aws.ts';
import { SqsPoller } from '../../lib/local/poller.ts';
import { createQueues, type QueueUrls } from '../../lib/local/queues.ts';
import { processBatch } from '../../lib/app/batch.ts';
import type { Logger } from '../../lib/ports.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export const quietLogger: Logger & { lines: Array<{ level: string; message: string; data?: Record<string, unknown> }> } = {
  lines: [],
  info(message, data) { quietLogger.lines.push({ level: 'info', message, ...(data ? { data } : {}) }); },
  warn(message, data) { quietLogger.lines.push({ level: 'warn', message, ...(data ? { data } : {}) }); },
  error(message, data) { quietLogger.lines.push({ level: 'error', message, ...(data ? { data } : {}) }); },
};

export function clients(): { dynamodb: DynamoDBClient; sqs: SQSClient } {
  return {
    dynamodb: new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region: 'us-east-1', credentials, maxAttempts: 5 }),
    sqs: new SQSClient({ endpoint: inject('sqsEndpoint'), region: 'us-east-1', credentials }),
  };
}

export interface TestRuntime extends Runtime {
  queues: QueueUrls;
}

export async function testRuntime(overrides: Partial<RuntimeConfig> = {}): Promise<TestRuntime> {
  const { dynamodb, sqs } = clients();
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const tableName = `${prefix}-engine`;
  await ensureTable(dynamodb, tableName);
  const queues = await createQueues(sqs, prefix, { visibilityTimeoutSeconds: 2 });
  const runtime = createRuntime({
    tableName, commandsQueueUrl: queues.commands, timersQueueUrl: queues.timers, outboxQueueUrl: queues.outbox, eventsQueueUrl: queues.events, eventsDlqUrl: queues.eventsDlq, commandsDlqUrl: queues.commandsDlq,
    dynamodb, sqs, logger: quietLogger, ...overrides,
  });
  return { ...runtime, queues };
}

/** Runs `body` while a poller applies the commands queue as the commands Lambda would, then stops it. */
export async function withCommands(rt: TestRuntime, body: () => Promise<void>): Promise<void> {
  const poller = new SqsPoller(rt.sqs, rt.queues.commands, (event) => processBatch(rt.transition, event.Records), { concurrency: 2, waitTimeSeconds: 1 }).start();
  try {
    await body();
  } finally {
    await poller.stop();
  }
}
