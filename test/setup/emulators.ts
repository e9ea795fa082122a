/**
 * Vitest global setup: starts DynamoDB Local and fauxqs once for the whole run, and
 * RabbitMQ when none is running (installing Java, Chromium and RabbitMQ with apt-get when
 * they are missing and this runs as root), and stops what it started (by their own handles) at
 * the end. Test files create their own table, queues and exchanges (see
 * test/integration/runtime.ts, test/bridge/helpers.ts), so files can run in parallel.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDb, startSqs, type Emulator } from '../../lib/local/emulators.ts';
import { ensureRabbitMq } from './rabbitmq.ts';
import { existsSync } from 'node:fs';
import { ensurePackage } from '../../lib/local/system-packages.ts';
import { CHROMIUM } from '../ui/browser.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sqsEndpoint: string;
    /** The RabbitMQ broker of the bridge tests (guest on localhost unless RABBITMQ_URL says otherwise); '' when the run has no bridge tests. */
    amqpUrl: string;
  }
}

let started: Emulator[] = [];

/**
 * RabbitMQ (about 7 s to start) only when the run includes the bridge tests: the file
 * filters of the command line (`vitest run test/ui`) are matched like vitest does. When
 * in doubt, it starts; a bridge test in a run without it fails loudly (see test/bridge/helpers.ts).
 */
async function runsTestsIn(project: TestProject, folder: string): Promise<boolean> {
  try {
    const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-') && !['run', 'watch', 'dev', 'related'].includes(arg));
    const { testFiles } = await project.globTestFiles(filters);
    return testFiles.length === 0 || testFiles.some((file) => file.split(/[\\/]/).join('/').includes(`/test/${folder}/`));
  } catch {
    return true;
  }
}

const noBroker: Emulator = { endpoint: '', stop: async () => undefined };

export async function setup(project: TestProject): Promise<void> {
  // Chromium for the web page's tests: installed here once (as root), before the test files run.
  if (await runsTestsIn(project, 'ui')) ensurePackage({ what: 'Chromium for the web page tests (test/ui)', apt: 'chromium', present: () => existsSync(CHROMIUM) });
  const results = await Promise.allSettled([
    startDynamoDb(), startSqs(),
    runsTestsIn(project, 'bridge').then((needed) => (needed ? ensureRabbitMq().then((b): Emulator => ({ endpoint: b.url, stop: () => b.stop() })) : noBroker)),
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
