/**
 * The embedded local runtime behind `npm start` (and the end-to-end tests): the AWS
 * emulators, the table and queues, the REAL Lambda handlers driven by local pollers
 * (commands, timers) and by a local HTTP server (the API), and the examples deployed.
 *
 *   HTTP :3000 ──► functions/api.ts ──► SQS commands.fifo ──► poller ──► functions/commands.ts
 *                                       SQS timers ──────────► poller ──► functions/timers.ts
 *   every `sweepIntervalMs` ──► functions/sweep.ts (long timers: DynamoDB items -> SQS timers)
 *   RabbitMQ sbpmn.in ──► InboundBridge ──► SQS events ──► poller ──► functions/events.ts
 *   functions/commands.ts ──► SQS outbox ──► OutboundPublisher ──► RabbitMQ sbpmn.out
 *   DynamoDB Local (Java) + fauxqs (in process); data in `.data/` unless `fresh`.
 *   The two RabbitMQ bridges run when RABBITMQ_URL (or `rabbitmqUrl`) is set.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ensureTable } from '../adapters/dynamodb/table.ts';
import { jsonLogger } from '../adapters/logger.ts';
import { SqsDeadLetters } from '../adapters/sqs/dead-letters.ts';
import { SqsInboundEvents } from '../adapters/sqs/inbound-events.ts';
import { InboundBridge } from '../bridge/inbound.ts';
import { OutboundPublisher } from '../bridge/outbound.ts';
import { startDynamoDb, startSqs, type Emulator } from './emulators.ts';
import { lambdaContext, serveApi, toEvent, type ApiHandler, type StaticHandler } from './http.ts';
import { SqsPoller } from './poller.ts';
import { createQueues, type QueueUrls } from './queues.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface LocalOptions {
  port?: number;
  /** Where data lives between runs; null keeps everything in memory. */
  dataDir?: string | null;
  /** Wipe the data folder first. */
  fresh?: boolean;
  /** Deploy every `.bpmn` file of this folder at start. */
  examplesDir?: string | null;
  apiToken?: string;
  logLevel?: string;
  /** Serves the web page (and anything else that is not the API). */
  statics?: StaticHandler;
  /** The RabbitMQ broker for the event bridges (default: env RABBITMQ_URL; null: no bridges). */
  rabbitmqUrl?: string | null;
  /** How often the durable timers are swept (default 60 s, as the scheduled Lambda on AWS). */
  sweepIntervalMs?: number;
  /** Timers due further away than this go to the durable schedule (default 900 s; tests lower it). */
  timersMaxDelaySeconds?: number;
  /** How long before its due time the sweep hands a timer to the SQS delay queue (default 300 s). */
  timersLeadSeconds?: number;
  /** The width of a due-time bucket of the swept timers (default 60 s). */
  timersBucketSeconds?: number;
  /** Fixed emulator ports (a restart then finds the same endpoints); default: free ones. */
  emulatorPorts?: { dynamodb?: number; sqs?: number };
}

export interface LocalRuntime {
  url: string;
  env: Record<string, string>;
  deployed: Array<{ file: string; status: number; body: string }>;
  /** The RabbitMQ bridges, when a broker URL was given. */
  bridges: { inbound: InboundBridge; outbound: OutboundPublisher } | null;
  stop(): Promise<void>;
}

type SqsLambda = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;

export async function startLocal(options: LocalOptions = {}): Promise<LocalRuntime> {
  const dataDir = options.dataDir === undefined ? join(ROOT, '.data') : options.dataDir;
  if (dataDir && options.fresh) rmSync(dataDir, { recursive: true, force: true });
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const [dynamo, sqsEmu]: Emulator[] = await Promise.all([
      startDynamoDb({ ...(dataDir ? { dataDir: join(dataDir, 'dynamodb') } : {}), ...(options.emulatorPorts?.dynamodb ? { port: options.emulatorPorts.dynamodb } : {}) }),
      startSqs({ ...(dataDir ? { dataDir: join(dataDir, 'sqs') } : {}), ...(options.emulatorPorts?.sqs ? { port: options.emulatorPorts.sqs } : {}) }),
    ]);
    stops.push(() => (dynamo as Emulator).stop(), () => (sqsEmu as Emulator).stop());
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const dynamodb = new DynamoDBClient({ endpoint: dynamo!.endpoint, region: 'us-east-1', credentials });
    const sqs = new SQSClient({ endpoint: sqsEmu!.endpoint, region: 'us-east-1', credentials });
    const tableName = 'sbpmn-local';
    await ensureTable(dynamodb, tableName);
    const queues = await createQueues(sqs, 'sbpmn-local', { visibilityTimeoutSeconds: 30 });
    const env: Record<string, string> = {
      TABLE_NAME: tableName, COMMANDS_QUEUE_URL: queues.commands, TIMERS_QUEUE_URL: queues.timers,
      OUTBOX_QUEUE_URL: queues.outbox, EVENTS_QUEUE_URL: queues.events, EVENTS_DLQ_URL: queues.eventsDlq, COMMANDS_DLQ_URL: queues.commandsDlq,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo!.endpoint, AWS_ENDPOINT_URL_SQS: sqsEmu!.endpoint, AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', LOG_LEVEL: options.logLevel ?? 'warn', DURABLE_TIMERS: 'dynamodb',
      ...(options.apiToken ? { API_TOKEN: options.apiToken } : {}),
      ...(options.timersMaxDelaySeconds !== undefined ? { TIMERS_MAX_DELAY_SECONDS: String(options.timersMaxDelaySeconds) } : {}),
      ...(options.timersLeadSeconds !== undefined ? { TIMERS_LEAD_SECONDS: String(options.timersLeadSeconds) } : {}),
      ...(options.timersBucketSeconds !== undefined ? { TIMERS_BUCKET_SECONDS: String(options.timersBucketSeconds) } : {}),
    };
    Object.assign(process.env, env);
    // The real Lambda handlers, configured by the environment exactly as on AWS.
    const commands = (await import('../../functions/commands.ts')).handler as unknown as SqsLambda;
    const timers = (await import('../../functions/timers.ts')).handler as unknown as SqsLambda;
    const events = (await import('../../functions/events.ts')).handler as unknown as SqsLambda;
    const api = (await import('../../functions/api.ts')).handler as unknown as ApiHandler;
    const pollers = [
      new SqsPoller(sqs, queues.commands, (event) => commands(event, lambdaContext('commands')), { concurrency: 4, batchSize: 10 }).start(),
      new SqsPoller(sqs, queues.timers, (event) => timers(event, lambdaContext('timers')), { concurrency: 1, batchSize: 10 }).start(),
      new SqsPoller(sqs, queues.events, (event) => events(event, lambdaContext('events')), { concurrency: 2, batchSize: 10 }).start(),
    ];
    stops.push(async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    });
    const sweep = (await import('../../functions/sweep.ts')).handler as unknown as (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
    const sweeper = startSweeper(() => sweep({}, lambdaContext('sweep')), options.sweepIntervalMs ?? 60_000, jsonLogger(options.logLevel ?? 'warn'));
    stops.push(sweeper);
    const rabbitmqUrl = options.rabbitmqUrl === undefined ? (process.env['RABBITMQ_URL'] || null) : options.rabbitmqUrl;
    const bridges = rabbitmqUrl ? await startBridges(rabbitmqUrl, sqs, queues, options.logLevel ?? 'warn') : null;
    if (bridges) stops.push(() => bridges.inbound.stop(), () => bridges.outbound.stop());
    const server: Server = await serveApi(api, { port: options.port ?? 3000, ...(options.statics ? { statics: options.statics } : {}) });
    stops.push(() => new Promise<void>((done) => server.close(() => done())));
    server.closeIdleConnections?.();
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : options.port}`;
    const deployed = options.examplesDir === null ? [] : await deployExamples(api, options.examplesDir ?? join(ROOT, 'examples'), options.apiToken);
    return { url, env, deployed, bridges, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs the sweep now and then every `intervalMs` (never two at once), like the scheduled Lambda; returns its stop. */
function startSweeper(sweep: () => Promise<unknown>, intervalMs: number, logger: { error(message: string, data?: Record<string, unknown>): void }): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running.then(sweep).catch((error: unknown) => logger.error('sweep failed', { error: (error as Error).message }));
  };
  tick();
  const interval = setInterval(tick, intervalMs);
  return async () => {
    clearInterval(interval);
    await running;
  };
}

/** Both RabbitMQ bridges; they connect in the background and keep retrying while the broker is away. */
async function startBridges(url: string, sqs: SQSClient, queues: QueueUrls, logLevel: string): Promise<NonNullable<LocalRuntime['bridges']>> {
  const logger = jsonLogger(logLevel);
  const target = { queue: new SqsInboundEvents(sqs, queues.events), deadLetters: new SqsDeadLetters(sqs, queues.eventsDlq) };
  const inbound = await new InboundBridge({ url, target, logger }).start({ waitForConnect: false });
  const outbound = await new OutboundPublisher({ url, sqs, queueUrl: queues.outbox, logger }).start({ waitForConnect: false });
  return { inbound, outbound };
}

async function deployExamples(api: ApiHandler, dir: string, token?: string): Promise<LocalRuntime['deployed']> {
  if (!existsSync(dir)) return [];
  const results: LocalRuntime['deployed'] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.bpmn')).sort()) {
    const body = readFileSync(join(dir, file));
    const headers = { 'content-type': 'application/xml', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const req = { url: '/v1/definitions', method: 'POST', headers, socket: { remoteAddress: '127.0.0.1' } };
    const result = await api(toEvent(req as never, body), lambdaContext('api'));
    const structured = typeof result === 'object' && result ? result : { statusCode: 200, body: String(result ?? '') };
    results.push({ file, status: structured.statusCode ?? 200, body: structured.body ?? '' });
  }
  return results;
}
