/**
 * The composition root: builds the application's dependencies from configuration
 * (environment variables on Lambda, explicit values in tests and the local runtime).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CachedDefinitions } from '../app/definitions.ts';
import { EffectDispatcher } from '../app/effects.ts';
import type { TransitionDeps } from '../app/transition.ts';
import type { Clock, CommandBus, DeadLetters, DefinitionStore, EventBus, IndexStore, InstanceStore, Logger, TimerScheduler } from '../ports.ts';
import { awsConfig } from './config.ts';
import { DynamoDefinitionStore } from './dynamodb/definitions.ts';
import { DynamoIndexStore } from './dynamodb/indexes.ts';
import { DynamoInstanceStore } from './dynamodb/instances.ts';
import { Meter } from './dynamodb/meter.ts';
import { jsonLogger } from './logger.ts';
import { SqsCommandBus } from './sqs/commands.ts';
import { SqsDeadLetters } from './sqs/dead-letters.ts';
import { SqsEventBus } from './sqs/events.ts';
import { SqsMeter } from './sqs/meter.ts';
import { SqsTimerScheduler } from './sqs/timers.ts';

export interface RuntimeConfig {
  tableName: string;
  commandsQueueUrl: string;
  timersQueueUrl: string;
  /** Outbound process messages (the EventBus) go here; the RabbitMQ publisher drains it. */
  outboxQueueUrl: string;
  /** The inbound events queue (fed by the RabbitMQ bridge); only the bridge and the events handler need it. */
  eventsQueueUrl?: string;
  /** Its DLQ, where the events handler puts malformed events with their reason. */
  eventsDlqUrl?: string;
  /** Also publish instance/task lifecycle events (PUBLISH_LIFECYCLE=true). */
  publishLifecycle?: boolean;
  retentionDays?: number;
  dynamodb?: DynamoDBClient;
  sqs?: SQSClient;
  clock?: Clock;
  logger?: Logger;
}

export interface Runtime {
  instances: InstanceStore;
  definitions: DefinitionStore;
  index: IndexStore;
  commands: CommandBus;
  timers: TimerScheduler;
  events: EventBus;
  /** The events DLQ (null when EVENTS_DLQ_URL is not configured). */
  deadLetters: DeadLetters | null;
  transition: TransitionDeps;
  dynamoMeter: Meter;
  sqsMeter: SqsMeter;
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  clock: Clock;
  logger: Logger;
  config: RuntimeConfig;
}

export function createRuntime(config: RuntimeConfig): Runtime {
  const dynamodb = config.dynamodb ?? new DynamoDBClient(awsConfig('DYNAMODB'));
  const sqs = config.sqs ?? new SQSClient(awsConfig('SQS'));
  const clock = config.clock ?? { now: () => Date.now() };
  const logger = config.logger ?? jsonLogger();
  const dynamoMeter = new Meter();
  const sqsMeter = new SqsMeter();
  const tableName = config.tableName;
  const instances = new DynamoInstanceStore(dynamodb, { tableName, meter: dynamoMeter, retentionSeconds: (config.retentionDays ?? 30) * 86400 });
  const definitions = new DynamoDefinitionStore(dynamodb, { tableName, meter: dynamoMeter });
  const index = new DynamoIndexStore(dynamodb, { tableName, meter: dynamoMeter });
  const commands = new SqsCommandBus(sqs, config.commandsQueueUrl, sqsMeter);
  const timers = new SqsTimerScheduler(sqs, config.timersQueueUrl, clock, sqsMeter);
  const events = new SqsEventBus(sqs, config.outboxQueueUrl, sqsMeter);
  const deadLetters = config.eventsDlqUrl ? new SqsDeadLetters(sqs, config.eventsDlqUrl, sqsMeter) : null;
  const effects = new EffectDispatcher({ index, timers, events, commands, clock, logger, publishLifecycle: config.publishLifecycle ?? false });
  const transition: TransitionDeps = { instances, definitions: new CachedDefinitions(definitions), effects, clock, logger };
  return { instances, definitions, index, commands, timers, events, deadLetters, transition, dynamoMeter, sqsMeter, dynamodb, sqs, clock, logger, config };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env): Runtime {
  return createRuntime({
    tableName: required(env, 'TABLE_NAME'),
    commandsQueueUrl: required(env, 'COMMANDS_QUEUE_URL'),
    timersQueueUrl: required(env, 'TIMERS_QUEUE_URL'),
    outboxQueueUrl: required(env, 'OUTBOX_QUEUE_URL'),
    ...(env['EVENTS_QUEUE_URL'] ? { eventsQueueUrl: env['EVENTS_QUEUE_URL'] } : {}),
    ...(env['EVENTS_DLQ_URL'] ? { eventsDlqUrl: env['EVENTS_DLQ_URL'] } : {}),
    publishLifecycle: env['PUBLISH_LIFECYCLE'] === 'true',
    retentionDays: Number(env['RETENTION_DAYS'] ?? 30),
  });
}
