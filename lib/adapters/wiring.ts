/**
 * The AWS adapters, built from configuration (environment variables on Lambda, explicit
 * values in tests and the local runtime): one adapter per port over DynamoDB, SQS and the
 * durable timer schedule. Adapters only: the use cases are composed over them by the
 * composition root (lib/composition/aws.ts), never here.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AppPorts, Clock, DurableTimers, Logger } from '../ports.ts';
import { awsConfig } from './config.ts';
import { DynamoDefinitionStore } from './dynamodb/definitions.ts';
import { DynamoDeadCommandStore } from './dynamodb/dead-commands.ts';
import { DynamoIndexStore } from './dynamodb/indexes.ts';
import { DynamoInstanceStore } from './dynamodb/instances.ts';
import { Meter } from './dynamodb/meter.ts';
import { jsonLogger } from './logger.ts';
import { SqsCommandBus } from './sqs/commands.ts';
import { SqsDeadLetterSource } from './sqs/dead-commands.ts';
import { SqsDeadLetters } from './sqs/dead-letters.ts';
import { SqsEventBus } from './sqs/events.ts';
import { SqsMeter } from './sqs/meter.ts';
import { SqsTimerScheduler } from './sqs/timers.ts';
import { DynamoDurableTimers } from './scheduler/dynamodb.ts';
import { EventBridgeDurableTimers, type SchedulerTimersOptions } from './scheduler/eventbridge.ts';
import { DynamoTimerStartRegistry } from './scheduler/start-registry.ts';

export interface AdapterConfig {
  tableName: string;
  commandsQueueUrl: string;
  timersQueueUrl: string;
  /** Outbound process messages (the EventBus) go here; the RabbitMQ publisher drains it. */
  outboxQueueUrl: string;
  /** The inbound events queue (fed by the RabbitMQ bridge); only the bridge and the events handler need it. */
  eventsQueueUrl?: string;
  /** Its DLQ, where the events handler puts malformed events with their reason. */
  eventsDlqUrl?: string;
  /** The commands queue's DLQ, which the sweeper empties into dead commands (env COMMANDS_DLQ_URL). */
  commandsDlqUrl?: string;
  retentionDays?: number;
  /**
   * The durable schedule for timers due beyond the SQS delay (env DURABLE_TIMERS):
   * `dynamodb` (default: due-time items swept each minute by functions/sweep.ts),
   * `scheduler` (EventBridge Scheduler, on AWS) or `none` (15-minute SQS hops).
   */
  durableTimers?: 'dynamodb' | 'scheduler' | 'none';
  /** For `scheduler`: the group, the timers queue ARN and the role Scheduler assumes. */
  scheduler?: Omit<SchedulerTimersOptions, 'clock' | 'handOff'>;
  schedulerClient?: SchedulerClient;
  /** Longest due time sent to the SQS queue directly (env TIMERS_MAX_DELAY_SECONDS, default 900). */
  maxDelayMs?: number;
  /** How long before its due time the durable schedule hands a timer to the SQS queue (default 5 minutes). */
  timerLeadMs?: number;
  /** The width of a due-time bucket of the DynamoDB durable schedule (env TIMERS_BUCKET_SECONDS, default 60). */
  timerBucketMs?: number;
  dynamodb?: DynamoDBClient;
  sqs?: SQSClient;
  clock?: Clock;
  logger?: Logger;
}

/** The ports over AWS, and what only the AWS runtime has (clients, meters, the sweepable schedule). */
export interface AwsAdapters extends AppPorts {
  /** The DynamoDB durable schedule, which functions/sweep.ts sweeps (null when another is used). */
  sweeper: DynamoDurableTimers | null;
  maxDelayMs: number;
  dynamoMeter: Meter;
  sqsMeter: SqsMeter;
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  config: AdapterConfig;
}

export function createAwsAdapters(config: AdapterConfig): AwsAdapters {
  const dynamodb = config.dynamodb ?? new DynamoDBClient(awsConfig('DYNAMODB'));
  const sqs = config.sqs ?? new SQSClient(awsConfig('SQS'));
  const clock = config.clock ?? { now: () => Date.now() };
  const logger = config.logger ?? jsonLogger();
  const dynamoMeter = new Meter();
  const sqsMeter = new SqsMeter();
  const tableName = config.tableName;
  const instances = new DynamoInstanceStore(dynamodb, { tableName, meter: dynamoMeter, retentionSeconds: (config.retentionDays ?? 30) * 86400 });
  const definitions = new DynamoDefinitionStore(dynamodb, { tableName, meter: dynamoMeter });
  const decisions = new DynamoDefinitionStore(dynamodb, { tableName, meter: dynamoMeter, kind: 'decision' });
  const index = new DynamoIndexStore(dynamodb, { tableName, meter: dynamoMeter });
  const commands = new SqsCommandBus(sqs, config.commandsQueueUrl, sqsMeter);
  const timers = new SqsTimerScheduler(sqs, config.timersQueueUrl, clock, sqsMeter);
  const { durableTimers, sweeper } = durableTimersFor(config, dynamodb, timers, clock, dynamoMeter);
  const timerStarts = new DynamoTimerStartRegistry(dynamodb, { tableName, meter: dynamoMeter });
  const maxDelayMs = config.maxDelayMs ?? 900_000;
  const events = new SqsEventBus(sqs, config.outboxQueueUrl, sqsMeter);
  const deadLetters = config.eventsDlqUrl ? new SqsDeadLetters(sqs, config.eventsDlqUrl, sqsMeter) : null;
  const deadCommands = new DynamoDeadCommandStore(dynamodb, { tableName, meter: dynamoMeter });
  const deadCommandSource = config.commandsDlqUrl ? new SqsDeadLetterSource(sqs, config.commandsDlqUrl, sqsMeter) : null;
  return { instances, definitions, decisions, index, commands, timers, durableTimers, sweeper, timerStarts, maxDelayMs, events, deadLetters, deadCommands, deadCommandSource, dynamoMeter, sqsMeter, dynamodb, sqs, clock, logger, config };
}

function durableTimersFor(config: AdapterConfig, dynamodb: DynamoDBClient, handOff: SqsTimerScheduler, clock: Clock, meter: Meter): { durableTimers: DurableTimers | null; sweeper: DynamoDurableTimers | null } {
  const kind = config.durableTimers ?? 'dynamodb';
  if (kind === 'none') return { durableTimers: null, sweeper: null };
  if (kind === 'scheduler') {
    if (!config.scheduler) throw new Error('durableTimers: scheduler needs SCHEDULER_GROUP, TIMERS_QUEUE_ARN and SCHEDULER_ROLE_ARN');
    // Loaded on the first long timer, not at cold start (EventBridgeDurableTimers' SchedulerClientSource).
    const client = config.schedulerClient ?? (async () => new (await import('@aws-sdk/client-scheduler')).SchedulerClient(awsConfig('SCHEDULER')));
    const leadMs = config.timerLeadMs;
    return { durableTimers: new EventBridgeDurableTimers(client, { ...config.scheduler, clock, handOff, ...(leadMs !== undefined ? { leadMs } : {}) }), sweeper: null };
  }
  const sweeper = new DynamoDurableTimers(dynamodb, {
    tableName: config.tableName, handOff, clock, meter,
    ...(config.timerLeadMs !== undefined ? { leadMs: config.timerLeadMs } : {}), ...(config.timerBucketMs !== undefined ? { bucketMs: config.timerBucketMs } : {}),
  });
  return { durableTimers: sweeper, sweeper };
}

function schedulerFromEnv(env: NodeJS.ProcessEnv): AdapterConfig['scheduler'] | undefined {
  const groupName = env['SCHEDULER_GROUP'];
  const targetArn = env['TIMERS_QUEUE_ARN'];
  const roleArn = env['SCHEDULER_ROLE_ARN'];
  if (!groupName || !targetArn || !roleArn) return undefined;
  return { groupName, targetArn, roleArn, ...(env['SCHEDULER_DLQ_ARN'] ? { deadLetterArn: env['SCHEDULER_DLQ_ARN'] } : {}) };
}

function durableKind(value: string | undefined): AdapterConfig['durableTimers'] {
  if (value === undefined || value === '') return 'dynamodb';
  if (value === 'dynamodb' || value === 'scheduler' || value === 'none') return value;
  throw new Error(`DURABLE_TIMERS must be dynamodb, scheduler or none, not '${value}'`);
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** The adapters' configuration from the Lambda environment (TABLE_NAME, the queue URLs, DURABLE_TIMERS...). */
export function adapterConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AdapterConfig {
  return {
    tableName: required(env, 'TABLE_NAME'),
    commandsQueueUrl: required(env, 'COMMANDS_QUEUE_URL'),
    timersQueueUrl: required(env, 'TIMERS_QUEUE_URL'),
    outboxQueueUrl: required(env, 'OUTBOX_QUEUE_URL'),
    ...(env['EVENTS_QUEUE_URL'] ? { eventsQueueUrl: env['EVENTS_QUEUE_URL'] } : {}),
    ...(env['EVENTS_DLQ_URL'] ? { eventsDlqUrl: env['EVENTS_DLQ_URL'] } : {}),
    ...(env['COMMANDS_DLQ_URL'] ? { commandsDlqUrl: env['COMMANDS_DLQ_URL'] } : {}),
    retentionDays: Number(env['RETENTION_DAYS'] ?? 30),
    durableTimers: durableKind(env['DURABLE_TIMERS']),
    ...(schedulerFromEnv(env) ? { scheduler: schedulerFromEnv(env) } : {}),
    ...(env['TIMERS_MAX_DELAY_SECONDS'] ? { maxDelayMs: Number(env['TIMERS_MAX_DELAY_SECONDS']) * 1000 } : {}),
    ...(env['TIMERS_LEAD_SECONDS'] ? { timerLeadMs: Number(env['TIMERS_LEAD_SECONDS']) * 1000 } : {}),
    ...(env['TIMERS_BUCKET_SECONDS'] ? { timerBucketMs: Number(env['TIMERS_BUCKET_SECONDS']) * 1000 } : {}),
  };
}
