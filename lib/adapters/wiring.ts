/**
 * The composition root: builds the application's dependencies from configuration
 * (environment variables on Lambda, explicit values in tests and the local runtime).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CachedDefinitions } from '../app/definitions.ts';
import { EffectDispatcher } from '../app/effects.ts';
import type { TransitionDeps } from '../app/transition.ts';
import type { Clock, CommandBus, DefinitionStore, IndexStore, InstanceStore, Logger, TimerScheduler } from '../ports.ts';
import { awsConfig } from './config.ts';
import { DynamoDefinitionStore } from './dynamodb/definitions.ts';
import { DynamoIndexStore } from './dynamodb/indexes.ts';
import { DynamoInstanceStore } from './dynamodb/instances.ts';
import { Meter } from './dynamodb/meter.ts';
import { jsonLogger } from './logger.ts';
import { SqsCommandBus } from './sqs/commands.ts';
import { SqsEventBus } from './sqs/events.ts';
import { SqsMeter } from './sqs/meter.ts';
import { SqsTimerScheduler } from './sqs/timers.ts';

export interface RuntimeConfig {
  tableName: string;
  commandsQueueUrl: string;
  timersQueueUrl: string;
  eventsQueueUrl: string;
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
  const events = new SqsEventBus(sqs, config.eventsQueueUrl, sqsMeter);
  const effects = new EffectDispatcher({ index, timers, events, commands, clock, logger });
  const transition: TransitionDeps = { instances, definitions: new CachedDefinitions(definitions), effects, clock, logger };
  return { instances, definitions, index, commands, timers, transition, dynamoMeter, sqsMeter, dynamodb, sqs, clock, logger, config };
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
    eventsQueueUrl: required(env, 'EVENTS_QUEUE_URL'),
    retentionDays: Number(env['RETENTION_DAYS'] ?? 30),
  });
}
