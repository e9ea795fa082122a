/**
 * The scale model's workload: N instances of a scenario run end to end through the real
 * durable path on the emulators (SQS FIFO commands queue -> poller -> processBatch), with
 * workers that activate jobs through the API's use case (leases, variables read from the
 * instance) and send their completions in batches, and, for a broadcast, instances waiting
 * for one signal. Every DynamoDB request of the engine and the workers is metered per
 * partition key (heat.ts).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ensureTable } from '../../lib/adapters/dynamodb/table.ts';
import { createRuntime, type Runtime } from '../../lib/composition/aws.ts';
import { processBatch } from '../../lib/app/batch.ts';
import { deploy } from '../../lib/app/definitions.ts';
import { activateJobs } from '../../lib/app/service/jobs.ts';
import { SqsPoller } from '../../lib/local/poller.ts';
import { createQueues } from '../../lib/local/queues.ts';
import type { Logger } from '../../lib/ports.ts';
import { HeatMeter } from './heat.ts';

export interface Endpoints {
  dynamodb: string;
  sqs: string;
}

export interface WorkloadRun {
  instances: number;
  /** Versions written: the sum of every head's version. */
  transitions: number;
  meter: HeatMeter;
  wallMs: number;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A worker: leases up to 10 jobs, completes them with one batched send; empty polls are not counted (at the target rate there is always work). */
async function work(worker: Runtime, meter: HeatMeter, jobType: string, done: () => boolean): Promise<void> {
  const deps = worker.service;
  while (!done()) {
    const jobs = await meter.counted(() => activateJobs(deps, { type: jobType, maxJobs: 10, timeoutMs: 60_000, worker: 'scale' }), (found) => found.length > 0);
    if (jobs.length === 0) {
      await sleep(20);
      continue;
    }
    await worker.commands.send(jobs.map((j) => ({ id: `done-${j.jobId}`, instanceId: j.instanceId, command: { type: 'completeJob' as const, jobId: j.jobId, variables: { done: j.jobId } } })));
  }
}

async function untilFinished(observer: Runtime, ids: string[], timeoutMs: number): Promise<number> {
  const started = performance.now();
  const open = new Set(ids);
  let transitions = 0;
  while (open.size > 0) {
    if (performance.now() - started > timeoutMs) throw new Error(`scale model: ${open.size} of ${ids.length} instances unfinished after ${timeoutMs} ms`);
    await sleep(200);
    for (const head of await Promise.all([...open].map((id) => observer.instances.getHead(id, true)))) {
      if (head && head.status !== 'active') {
        open.delete(head.instanceId);
        transitions += head.version;
      }
    }
  }
  return transitions;
}

/** Runs `instances` instances of `xml` (its service tasks of type `jobType`), each started with about 1 KB of variables. */
export async function runWorkload(endpoints: Endpoints, xml: string, jobType: string, instances: number, timeoutMs = 300_000): Promise<WorkloadRun> {
  const client = () => new DynamoDBClient({ endpoint: endpoints.dynamodb, region: 'us-east-1', credentials, maxAttempts: 8 });
  const [engineDdb, workerDdb, observerDdb] = [client(), client(), client()];
  const sqs = new SQSClient({ endpoint: endpoints.sqs, region: 'us-east-1', credentials });
  const meter = new HeatMeter();
  let poller: SqsPoller | null = null;
  try {
    const prefix = `scale-${randomUUID().slice(0, 8)}`;
    await ensureTable(observerDdb, `${prefix}-engine`);
    const queues = await createQueues(sqs, prefix, { visibilityTimeoutSeconds: 60 });
    const config = { tableName: `${prefix}-engine`, commandsQueueUrl: queues.commands, timersQueueUrl: queues.timers, outboxQueueUrl: queues.outbox, sqs, logger: quiet };
    const [engine, worker, observer] = [createRuntime({ ...config, dynamodb: engineDdb }), createRuntime({ ...config, dynamodb: workerDdb }), createRuntime({ ...config, dynamodb: observerDdb })];
    const [deployed] = await deploy(engine.definitions, engine.clock, xml);
    if (!deployed) throw new Error('scale model: nothing deployed');
    await engine.transition.definitions.resolve(deployed.key, deployed.version); // a warm Lambda's cache
    meter.attach(engineDdb).attach(workerDdb);
    poller = new SqsPoller(sqs, queues.commands, (event) => processBatch(engine.transition, event.Records), { concurrency: 4, batchSize: 10, waitTimeSeconds: 1 }).start();
    const started = performance.now();
    const ids = Array.from({ length: instances }, () => randomUUID());
    const variables = { customer: { id: 'c-1', name: 'A. Customer', address: 'x'.repeat(900) } };
    for (let i = 0; i < ids.length; i += 10) {
      await engine.commands.send(ids.slice(i, i + 10).map((id) => ({ id: `start-${id}`, instanceId: id, definition: { key: deployed.key, version: deployed.version }, command: { type: 'start' as const, instanceId: id, variables } })));
    }
    let finished = false;
    const working = Promise.all([0, 1].map(() => work(worker, meter, jobType, () => finished)));
    try {
      const transitions = await untilFinished(observer, ids, timeoutMs);
      return { instances, transitions, meter, wallMs: performance.now() - started };
    } finally {
      finished = true;
      await working;
    }
  } finally {
    await poller?.stop();
    for (const c of [engineDdb, workerDdb, observerDdb, sqs]) c.destroy();
  }
}
