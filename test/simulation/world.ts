/**
 * The simulated world of one seed: a fresh engine runtime (own table and queues on the
 * shared emulators) whose DynamoDB and SQS clients are wrapped by weak-aws, a clock the
 * harness moves forward to fire timers, two commands pollers running processBatch (the
 * commands Lambda), and a clean (unfaulted) client pair for the checker.
 *
 * The world records which timers actually reached the timers queue (a middleware outside
 * weak-aws sees only what SQS accepted), so the checker can tell a scheduled timer from a lost one.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient, type SendMessageBatchCommandOutput } from '@aws-sdk/client-sqs';
import { processBatch, type BatchStats } from '../../lib/app/batch.ts';
import { ensureTable } from '../../lib/adapters/dynamodb/table.ts';
import { createRuntime, type Runtime } from '../../lib/composition/aws.ts';
import { SqsPoller } from '../../lib/local/poller.ts';
import { createQueues, type QueueUrls } from '../../lib/local/queues.ts';
import type { Logger } from '../../lib/ports.ts';
import { weakDynamo, weakSqs, type WeakDynamo, type WeakSqs } from '../support/weak-aws/index.ts';

export interface Endpoints {
  dynamodb: string;
  sqs: string;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A logger that keeps the last lines (the failing seed prints them) and counts levels. */
export class RingLogger implements Logger {
  readonly lines: string[] = [];
  readonly counts: Record<string, number> = {};
  info(message: string, data?: Record<string, unknown>): void { this.keep('info', message, data); }
  warn(message: string, data?: Record<string, unknown>): void { this.keep('warn', message, data); }
  error(message: string, data?: Record<string, unknown>): void { this.keep('error', message, data); }
  private keep(level: string, message: string, data?: Record<string, unknown>): void {
    this.counts[`${level}:${message}`] = (this.counts[`${level}:${message}`] ?? 0) + 1;
    this.lines.push(`${level} ${message} ${data ? JSON.stringify(data).slice(0, 300) : ''}`);
    if (this.lines.length > 400) this.lines.shift();
  }
}

/** The engine's clock: real time plus what the harness skipped forward (timers become due). */
export class SimClock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advanceTo(at: number): void {
    const ahead = at - this.now();
    if (ahead > 0) this.offsetMs += ahead + 1;
  }
}

/** Timer ids that the timers queue accepted (SendMessage, or the accepted entries of a batch). */
function recordTimers(sqs: SQSClient, timersUrl: string, sent: Set<string>): void {
  const note = (body: string | undefined): void => {
    try {
      const id = (JSON.parse(body ?? '{}') as { timerId?: string }).timerId;
      if (id) sent.add(id);
    } catch { /* not a timer message */ }
  };
  sqs.middlewareStack.add((next) => async (args) => {
    const out = await next(args);
    const input = args.input as { QueueUrl?: string; MessageBody?: string; Entries?: Array<{ Id?: string; MessageBody?: string }> };
    if (input.QueueUrl !== timersUrl) return out;
    if (input.MessageBody !== undefined) note(input.MessageBody);
    const ok = new Set(((out.output as Partial<SendMessageBatchCommandOutput>).Successful ?? []).map((s) => s.Id));
    for (const entry of input.Entries ?? []) if (ok.has(entry.Id)) note(entry.MessageBody);
    return out;
  }, { step: 'initialize', priority: 'high', name: 'simTimerLog' });
}

export class World {
  readonly timersSent = new Set<string>();
  readonly batchStats: BatchStats = { applied: 0, duplicates: 0, rejected: 0, dropped: 0, failed: 0, retries: 0 };
  private pollers: SqsPoller[] = [];

  private constructor(
    readonly rt: Runtime,
    readonly queues: QueueUrls,
    readonly db: WeakDynamo,
    readonly sq: WeakSqs,
    readonly clean: { dynamodb: DynamoDBClient; sqs: SQSClient },
    readonly clock: SimClock,
    readonly logger: RingLogger,
  ) {}

  static async create(endpoints: Endpoints, seed: number): Promise<World> {
    const make = () => ({
      dynamodb: new DynamoDBClient({ endpoint: endpoints.dynamodb, region: 'us-east-1', credentials, maxAttempts: 5 }),
      sqs: new SQSClient({ endpoint: endpoints.sqs, region: 'us-east-1', credentials }),
    });
    const weak = make();
    const clean = make();
    const prefix = `sim${randomUUID().slice(0, 8)}`;
    const tableName = `${prefix}-engine`;
    await ensureTable(clean.dynamodb, tableName);
    const queues = await createQueues(clean.sqs, prefix, { visibilityTimeoutSeconds: 2 });
    const clock = new SimClock();
    const logger = new RingLogger();
    const db = weakDynamo(weak.dynamodb, { seed, placement: 'attempt' });
    const sq = weakSqs(weak.sqs, { seed: seed ^ 0x5bd1e995, placement: 'attempt' });
    const rt = createRuntime({
      tableName, commandsQueueUrl: queues.commands, timersQueueUrl: queues.timers, outboxQueueUrl: queues.outbox, commandsDlqUrl: queues.commandsDlq,
      dynamodb: weak.dynamodb, sqs: weak.sqs, clock, logger,
    });
    const world = new World(rt, queues, db, sq, clean, clock, logger);
    recordTimers(weak.sqs, queues.timers, world.timersSent);
    return world;
  }

  /** Two pollers on the commands queue, each one Lambda instance running processBatch. */
  startPollers(): void {
    const handler = (event: { Records: Parameters<typeof processBatch>[1] }) => processBatch(this.rt.transition, event.Records, this.batchStats);
    const onError = (error: unknown) => this.logger.warn('poller error', { error: (error as Error).message });
    this.pollers = [0, 1].map(() => new SqsPoller(this.rt.sqs, this.queues.commands, handler, { concurrency: 1, waitTimeSeconds: 1, onError }).start());
  }

  async stopPollers(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.stop()));
    this.pollers = [];
  }

  async dispose(): Promise<void> {
    await this.stopPollers();
    this.db.dispose();
    this.sq.dispose();
    this.clean.dynamodb.destroy();
    this.clean.sqs.destroy();
    this.rt.dynamodb.destroy();
    this.rt.sqs.destroy();
  }
}
