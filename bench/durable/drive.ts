/**
 * Drives N process instances end to end through the durable path, on the emulators:
 *
 *   starts ──► SQS commands.fifo ──► SqsPoller ──► processBatch ──► DynamoDB (+ job index)
 *                    ▲                                                      │
 *                    └────── completeJob ◄── worker (listJobs) ◄───────────┘
 *
 * The engine's DynamoDB client, the worker's and an unmetered observer's are separate,
 * so the worker's job reads are counted apart from the transitions' cost and the
 * observer's completion checks are not counted at all. Every SQS request (sends, the
 * poller's receives and deletes) goes through one counted client.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DynamoInstanceStore } from '../../lib/adapters/dynamodb/instances.ts';
import { ensureTable } from '../../lib/adapters/dynamodb/table.ts';
import { createRuntime, type Runtime } from '../../lib/composition/aws.ts';
import { processBatch, type BatchStats } from '../../lib/app/batch.ts';
import { deploy } from '../../lib/app/definitions.ts';
import { SqsPoller } from '../../lib/local/poller.ts';
import { activateJobs } from '../../lib/app/service/jobs.ts';
import { createQueues } from '../../lib/local/queues.ts';
import type { Logger } from '../../lib/ports.ts';
import { DynamoCounter, SqsCounter } from './instrument.ts';
import { PRICES } from './prices.ts';

export interface DurableScenario {
  name: string;
  xml: string;
  /** The job type of every service task (the worker completes these). */
  jobType: string;
}

export interface Endpoints {
  dynamodb: string;
  sqs: string;
}

/** Everything one scenario measured; `report.ts` turns it into per-transition figures. */
export interface ScenarioRun {
  name: string;
  instances: number;
  /** Versions written: the sum of every instance's head version. */
  transitions: number;
  stats: BatchStats;
  engine: DynamoCounter;
  worker: DynamoCounter;
  sqs: SqsCounter;
  /** Handler wall time of every batch (one Lambda invocation each), ms. */
  handlerMs: number[];
  /** Messages per batch. */
  batchSizes: number[];
  wallMs: number;
  /** The runtime's own meters, for a cross-check against the counters. */
  meters: { dynamoRequests: number; dynamoWriteUnits: number; dynamoReadUnits: number; sqsRequests: number; sqsBytes: number };
  errors: string[];
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function collectingLogger(errors: string[]): Logger {
  return {
    info: () => undefined,
    warn: (message, data) => { errors.push(`${message} ${JSON.stringify(data ?? {})}`); },
    error: (message, data) => { errors.push(`${message} ${JSON.stringify(data ?? {})}`); },
  };
}

/**
 * A worker as the API serves one: activates (leases) up to 10 jobs of `jobType` through the
 * API's use case (a lease write per job, the variables read from each instance), then sends
 * one completion per job, as independent API calls would. An activation that finds nothing is
 * not counted (`counter.calls` trimmed back): at any real load there is work waiting, and idle
 * polling is a cost of the worker's poll interval, not of a transition.
 */
async function work(worker: Runtime, counter: DynamoCounter, jobType: string, done: () => boolean): Promise<void> {
  const deps = worker.service;
  while (!done()) {
    const before = counter.calls.length;
    const jobs = await activateJobs(deps, { type: jobType, maxJobs: 10, timeoutMs: 60_000, worker: 'bench' });
    if (jobs.length === 0) {
      counter.calls.splice(before);
      await sleep(10);
      continue;
    }
    await Promise.all(jobs.map((j) => worker.commands.send([{ id: `done-${j.jobId}`, instanceId: j.instanceId, command: { type: 'completeJob', jobId: j.jobId } }])));
  }
}

export async function runScenario(endpoints: Endpoints, scenario: DurableScenario, instances: number, timeoutMs = 120_000): Promise<ScenarioRun> {
  const client = () => new DynamoDBClient({ endpoint: endpoints.dynamodb, region: 'us-east-1', credentials, maxAttempts: 5 });
  const engineDdb = client();
  const workerDdb = client();
  const observerDdb = client();
  const sqs = new SQSClient({ endpoint: endpoints.sqs, region: 'us-east-1', credentials });
  const engineCounter = new DynamoCounter().attach(engineDdb);
  const workerCounter = new DynamoCounter().attach(workerDdb);
  const sqsCounter = new SqsCounter().attach(sqs, PRICES.sqs.chunkBytes);
  const errors: string[] = [];
  const logger = collectingLogger(errors);
  let poller: SqsPoller | null = null;
  try {
    const prefix = `bench-${randomUUID().slice(0, 8)}`;
    const tableName = `${prefix}-engine`;
    await ensureTable(observerDdb, tableName);
    const queues = await createQueues(sqs, prefix, { visibilityTimeoutSeconds: 30 });
    const config = { tableName, commandsQueueUrl: queues.commands, timersQueueUrl: queues.timers, outboxQueueUrl: queues.outbox, eventsQueueUrl: queues.events, eventsDlqUrl: queues.eventsDlq, sqs, logger };
    const engine = createRuntime({ ...config, dynamodb: engineDdb });
    const worker = createRuntime({ ...config, dynamodb: workerDdb });
    const observer = new DynamoInstanceStore(observerDdb, { tableName });

    const [deployed] = await deploy(engine.definitions, engine.clock, scenario.xml);
    if (!deployed) throw new Error(`${scenario.name}: nothing deployed`);
    // A warm Lambda has the compiled definition cached: load it before counting.
    await engine.transition.definitions.resolve(deployed.key, deployed.version);
    for (const reset of [engineCounter, workerCounter, sqsCounter, engine.dynamoMeter, engine.sqsMeter, worker.dynamoMeter, worker.sqsMeter]) reset.reset();

    const stats: BatchStats = { applied: 0, duplicates: 0, rejected: 0, dropped: 0, failed: 0, retries: 0 };
    const handlerMs: number[] = [];
    const batchSizes: number[] = [];
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      const started = performance.now();
      const response = await processBatch(engine.transition, event.Records, stats);
      handlerMs.push(performance.now() - started);
      batchSizes.push(event.Records.length);
      return response;
    };
    poller = new SqsPoller(sqs, queues.commands, handler, { concurrency: 4, batchSize: 10, waitTimeSeconds: 1, onError: (e) => errors.push(String(e)) }).start();

    const started = performance.now();
    const ids = Array.from({ length: instances }, () => randomUUID());
    await Promise.all(ids.map((id) => engine.commands.send([{ id: `start-${id}`, instanceId: id, definition: { key: deployed.key, version: deployed.version }, command: { type: 'start', instanceId: id } }])));

    let finished = false;
    let workerError: unknown = null;
    const working = work(worker, workerCounter, scenario.jobType, () => finished || workerError !== null).catch((error: unknown) => { workerError = error; });
    try {
      const open = new Set<string>(ids);
      while (open.size > 0) {
        if (workerError !== null) throw workerError;
        if (performance.now() - started > timeoutMs) throw new Error(`${scenario.name}: ${open.size} of ${instances} instances unfinished after ${timeoutMs} ms (${errors.slice(0, 3).join('; ')})`);
        await sleep(100);
        const heads = await Promise.all([...open].map((id) => observer.getHead(id, true)));
        for (const head of heads) if (head && head.status !== 'active') open.delete(head.instanceId);
      }
    } finally {
      finished = true;
      await working;
    }
    const wallMs = performance.now() - started;
    await poller.stop();
    poller = null;

    const heads = await Promise.all(ids.map((id) => observer.getHead(id, true)));
    const unfinished = heads.filter((h) => h?.status !== 'completed');
    if (unfinished.length > 0) throw new Error(`${scenario.name}: ${unfinished.length} instance(s) did not complete`);
    const transitions = heads.reduce((sum, h) => sum + (h?.version ?? 0), 0);
    return {
      name: scenario.name, instances, transitions, stats, engine: engineCounter, worker: workerCounter, sqs: sqsCounter, handlerMs, batchSizes, wallMs, errors,
      meters: {
        dynamoRequests: engine.dynamoMeter.total(), dynamoWriteUnits: engine.dynamoMeter.writeUnits, dynamoReadUnits: engine.dynamoMeter.readUnits,
        sqsRequests: engine.sqsMeter.total() + worker.sqsMeter.total(), sqsBytes: engine.sqsMeter.bytes + worker.sqsMeter.bytes,
      },
    };
  } finally {
    await poller?.stop();
    for (const c of [engineDdb, workerDdb, observerDdb, sqs]) c.destroy();
  }
}
